using System.Globalization;

namespace Mail.Frontends.Pop3.Protocol;

/// <summary>Parses the numeric arguments of POP3 commands (RFC 1939 §5: message numbers are decimal, from 1).</summary>
public static class MessageNumber
{
    /// <summary>A message number: decimal digits only, at least 1.</summary>
    public static bool TryParse(string text, out int number) =>
        TryParseCount(text, out number) && number >= 1;

    /// <summary>A non-negative count such as TOP's line count (RFC 1939 §7); values over int.MaxValue are refused.</summary>
    public static bool TryParseCount(string text, out int count)
    {
        count = 0;
        return text.Length is > 0 and <= 10 && text.All(char.IsAsciiDigit)
               && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out count);
    }
}
