using System.Globalization;

namespace Mail.Grains.Outbound.Dns;

/// <summary>Parses the policy file of RFC 8461 §3.2 ("key: value" lines, CRLF or LF) and the TXT record of §3.1.</summary>
public static class MtaStsPolicyParser
{
    /// <summary>RFC 8461 §3.2: the largest max_age, about one year.</summary>
    public const long MaxAgeLimitSeconds = 31_557_600;

    /// <summary>The policy in <paramref name="text"/>, or null with <paramref name="error"/> saying why it is not valid.</summary>
    public static MtaStsPolicy? Parse(string text, string id, out string error)
    {
        string? version = null, mode = null, maxAge = null;
        var mx = new List<string>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                error = $"line \"{line}\" is not \"key: value\"";
                return null;
            }
            // ABNF quoted strings are case-insensitive, so "Mode" is "mode"; values are trimmed of WSP (§3.2).
            var key = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim(' ', '\t');
            switch (key)
            {
                // §3.2: only the first of a repeated field counts, except mx, which lists every host.
                case "version": version ??= value; break;
                case "mode": mode ??= value; break;
                case "max_age": maxAge ??= value; break;
                case "mx": mx.Add(value.ToLowerInvariant().TrimEnd('.')); break;
                // §3.2: unknown fields are extensions and ignored.
            }
        }

        error = "";
        if (version != "STSv1")
        {
            error = $"version is \"{version}\", not STSv1";
            return null;
        }
        MtaStsMode? parsedMode = mode?.ToLowerInvariant() switch
        {
            "enforce" => MtaStsMode.Enforce,
            "testing" => MtaStsMode.Testing,
            "none" => MtaStsMode.None,
            _ => null,
        };
        if (parsedMode is null)
        {
            error = $"mode \"{mode}\" is not enforce, testing or none";
            return null;
        }
        if (maxAge is null || maxAge.Length is 0 or > 10 || !maxAge.All(char.IsAsciiDigit))
        {
            error = $"max_age \"{maxAge}\" is not 1 to 10 digits";
            return null;
        }
        if (parsedMode != MtaStsMode.None && mx.Count == 0)
        {
            error = "an enforce or testing policy lists no mx";
            return null;
        }
        if (mx.FirstOrDefault(p => !IsPattern(p)) is { } bad)
        {
            error = $"mx \"{bad}\" is not a host name or \"*.\" followed by one";
            return null;
        }
        // A larger max_age is clamped rather than refused: caching for less than the domain asked is always allowed.
        var seconds = Math.Min(long.Parse(maxAge, CultureInfo.InvariantCulture), MaxAgeLimitSeconds);
        return new MtaStsPolicy(parsedMode.Value, mx, TimeSpan.FromSeconds(seconds), id);
    }

    /// <summary>
    /// The id of a "_mta-sts" TXT answer (RFC 8461 §3.1), or null when the domain has no usable record: records not
    /// starting with "v=STSv1" are discarded, and anything but exactly one remaining, well-formed record means none.
    /// </summary>
    public static string? ParseTxtId(IEnumerable<string> records)
    {
        var candidates = records.Where(r => r.StartsWith("v=STSv1", StringComparison.Ordinal)).ToList();
        if (candidates.Count != 1)
        {
            return null;
        }
        string? version = null, id = null;
        foreach (var field in candidates[0].Split(';'))
        {
            var trimmed = field.Trim(' ', '\t');
            if (trimmed.Length == 0)
            {
                continue;
            }
            var eq = trimmed.IndexOf('=');
            if (eq <= 0)
            {
                return null;
            }
            var value = trimmed[(eq + 1)..];
            switch (trimmed[..eq])
            {
                case "v": version ??= value; break;
                case "id": id ??= value; break;
            }
        }
        // §3.1: sts-id is 1*32(ALPHA / DIGIT).
        return version == "STSv1" && id is { Length: > 0 and <= 32 } && id.All(char.IsAsciiLetterOrDigit) ? id : null;
    }

    /// <summary>A host name, optionally with a leading "*." wildcard label; no other wildcard (§3.2, §4.1).</summary>
    private static bool IsPattern(string pattern)
    {
        var host = pattern.StartsWith("*.", StringComparison.Ordinal) ? pattern[2..] : pattern;
        return host.Length > 0 && host.Split('.').All(label =>
            label.Length is > 0 and <= 63 && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
    }
}
