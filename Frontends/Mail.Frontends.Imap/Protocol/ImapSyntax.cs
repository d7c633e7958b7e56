namespace Mail.Frontends.Imap.Protocol;

/// <summary>Character classes of the formal syntax (RFC 9051 §9).</summary>
public static class ImapSyntax
{
    /// <summary>ATOM-CHAR: any CHAR except atom-specials ("(" ")" "{" SP CTL "%" "*" DQUOTE "\" "]").</summary>
    public static bool IsAtomChar(byte b) =>
        b is > 0x20 and < 0x7F and not ((byte)'(' or (byte)')' or (byte)'{' or (byte)'%' or (byte)'*' or (byte)'"' or (byte)'\\' or (byte)']');

    /// <summary>ASTRING-CHAR: ATOM-CHAR or "]".</summary>
    public static bool IsAStringChar(byte b) => IsAtomChar(b) || b == (byte)']';

    /// <summary>list-char: ATOM-CHAR, the list wildcards "%" "*", or "]".</summary>
    public static bool IsListChar(byte b) => IsAStringChar(b) || b is (byte)'%' or (byte)'*';

    /// <summary>Whether a string can be sent as an atom.</summary>
    public static bool IsAtom(string s)
    {
        if (s.Length == 0) return false;
        foreach (var c in s)
        {
            if (c > 0x7F || !IsAtomChar((byte)c)) return false;
        }
        return true;
    }
}
