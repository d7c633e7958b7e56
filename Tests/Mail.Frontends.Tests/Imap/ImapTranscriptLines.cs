using Mail.Frontends.Tests.Smtp;

namespace Mail.Frontends.Tests.Imap;

/// <summary>Reading a whole IMAP response (untagged lines up to the tagged one) from a raw transcript.</summary>
public static class ImapTranscriptLines
{
    /// <summary>
    /// Sends <paramref name="command"/> (its tag first) and returns every line up to and including the tagged one, without CRLF,
    /// read as UTF-8.
    /// </summary>
    public static async Task<List<string>> CommandLinesAsync(this SmtpTranscript imap, string command)
    {
        await imap.CommandAsync(command);
        var tag = command[..command.IndexOf(' ')];
        var lines = new List<string>();
        while (true)
        {
            var line = await imap.ReadLineAsync() ?? throw new InvalidOperationException($"Connection closed during {command}");
            lines.Add(System.Text.Encoding.UTF8.GetString(System.Text.Encoding.Latin1.GetBytes(line.TrimEnd('\r', '\n'))));
            if (line.StartsWith(tag + " ", StringComparison.Ordinal)) return lines;
        }
    }
}
