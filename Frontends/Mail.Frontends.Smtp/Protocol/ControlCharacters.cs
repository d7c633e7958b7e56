namespace Mail.Frontends.Smtp.Protocol;

/// <summary>
/// Finds control characters in command arguments: C0 (NUL, CR, LF, ...), DEL and C1. None may appear in an
/// EHLO/HELO domain or address literal (RFC 5321 §4.1.1.1, §4.1.3) or in a path (§4.1.2), and any that got
/// through would end up in a Received field (§4.4).
/// </summary>
public static class ControlCharacters
{
    /// <summary>Whether <paramref name="text"/> holds any control character.</summary>
    public static bool AnyIn(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c)) return true;
        }
        return false;
    }
}
