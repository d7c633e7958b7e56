using System.Text;

namespace Mail.Mime;

/// <summary>The base subject of RFC 5256 §2.1, and its i;ascii-casemap comparison form.</summary>
public static class BaseSubject
{
    /// <summary>The base subject of a (decoded) subject: reply/forward leaders, blobs and "(fwd)" trailers removed.</summary>
    public static string Of(string? subject) => Extract(subject, out _);

    /// <summary>
    /// Whether the subject is a reply or forward (RFC 5256 §2.1: extracting its base subject removed a
    /// "Re:"/"Fwd:" leader, a "(fwd)" trailer or a "[fwd: ...]" wrapper; a mere "[blob]" does not count).
    /// </summary>
    public static bool IsReplyOrForward(string? subject)
    {
        Extract(subject, out var replyOrForward);
        return replyOrForward;
    }

    private static string Extract(string? subject, out bool replyOrForward)
    {
        replyOrForward = false;
        // Step 1: whitespace runs (tabs, folds) become single spaces.
        var builder = new StringBuilder();
        var space = false;
        foreach (var c in subject ?? "")
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                space = true;
                continue;
            }
            if (space && builder.Length > 0) builder.Append(' ');
            space = false;
            builder.Append(c);
        }
        var s = builder.ToString();
        while (true)
        {
            // Step 2: trailing "(fwd)" and whitespace.
            while (true)
            {
                var trimmed = s.TrimEnd(' ');
                if (trimmed.EndsWith("(fwd)", StringComparison.OrdinalIgnoreCase))
                {
                    trimmed = trimmed[..^5];
                    replyOrForward = true;
                }
                if (trimmed.Length == s.Length) break;
                s = trimmed;
            }
            // Steps 3-5: leaders and blobs, until nothing changes.
            while (true)
            {
                var before = s;
                while (true)
                {
                    if (s.StartsWith(' '))
                    {
                        s = s[1..];
                        continue;
                    }
                    var leader = RefwdLength(s);
                    if (leader == 0) break;
                    s = s[leader..];
                    replyOrForward = true;
                }
                var blob = BlobLength(s, 0);
                if (blob > 0 && s[blob..].Trim(' ').Length > 0) s = s[blob..];
                if (s == before) break;
            }
            // Step 6: "[fwd: subject]".
            if (s.Length >= 6 && s.StartsWith("[fwd:", StringComparison.OrdinalIgnoreCase) && s.EndsWith(']'))
            {
                s = s[5..^1];
                replyOrForward = true;
                continue;
            }
            return s;
        }
    }

    /// <summary>The comparison key of a subject: its base subject with ASCII letters upper-cased (i;ascii-casemap).</summary>
    public static string Key(string? subject) => AsciiUpper(Of(subject));

    /// <summary>Upper-cases ASCII letters only.</summary>
    public static string AsciiUpper(string value) => string.Create(value.Length, value, (span, v) =>
    {
        for (var i = 0; i < v.Length; i++) span[i] = v[i] is >= 'a' and <= 'z' ? (char)(v[i] - 32) : v[i];
    });

    /// <summary>Length of a subj-blob ("[" *BLOBCHAR "]" *WSP) at <paramref name="start"/>, or 0.</summary>
    private static int BlobLength(string s, int start)
    {
        if (start >= s.Length || s[start] != '[') return 0;
        var i = start + 1;
        while (i < s.Length && s[i] is not ('[' or ']')) i++;
        if (i >= s.Length || s[i] != ']') return 0;
        i++;
        while (i < s.Length && s[i] == ' ') i++;
        return i - start;
    }

    /// <summary>Length of a leader *subj-blob subj-refwd at the start, or 0.</summary>
    private static int RefwdLength(string s)
    {
        var i = 0;
        while (BlobLength(s, i) is > 0 and var blob) i += blob;
        if (Word(s, i, "fwd")) i += 3;
        else if (Word(s, i, "fw") || Word(s, i, "re")) i += 2;
        else return 0;
        while (i < s.Length && s[i] == ' ') i++;
        i += BlobLength(s, i);
        return i < s.Length && s[i] == ':' ? i + 1 : 0;
    }

    private static bool Word(string s, int at, string word) =>
        at + word.Length <= s.Length && string.Compare(s, at, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0;
}
