using System.Globalization;

namespace Mail.Frontends.Imap.Protocol;

/// <summary>IMAP dates: date (e.g. "1-Feb-1994") and date-time ("17-Jul-1996 02:44:25 -0700") of RFC 9051 §9.</summary>
public static class ImapDate
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>Parses date-day "-" date-month "-" date-year.</summary>
    public static bool TryParseDate(string text, out DateOnly date)
    {
        date = default;
        var parts = text.Split('-');
        if (parts.Length != 3 || parts[0].Length is 0 or > 2 || parts[2].Length != 4) return false;
        var month = Array.FindIndex(Months, m => m.Equals(parts[1], StringComparison.OrdinalIgnoreCase));
        if (month < 0 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var year)) return false;
        if (year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month + 1)) return false;
        date = new DateOnly(year, month + 1, day);
        return true;
    }

    /// <summary>Parses date-time: DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE (without the quotes).</summary>
    public static bool TryParseDateTime(string text, out DateTimeOffset value)
    {
        value = default;
        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || !TryParseDate(parts[0], out var date)) return false;
        var time = parts[1].Split(':');
        if (time.Length != 3 || time.Any(t => t.Length != 2 || !t.All(char.IsAsciiDigit))) return false;
        var zone = parts[2];
        if (zone.Length != 5 || zone[0] is not ('+' or '-') || !zone[1..].All(char.IsAsciiDigit)) return false;
        int hour = int.Parse(time[0], CultureInfo.InvariantCulture), minute = int.Parse(time[1], CultureInfo.InvariantCulture),
            second = int.Parse(time[2], CultureInfo.InvariantCulture);
        var offsetMinutes = int.Parse(zone[1..3], CultureInfo.InvariantCulture) * 60 + int.Parse(zone[3..], CultureInfo.InvariantCulture);
        if (hour > 23 || minute > 59 || second > 60 || offsetMinutes > 14 * 60) return false;
        value = new DateTimeOffset(date.Year, date.Month, date.Day, hour, minute, Math.Min(second, 59), 0,
            TimeSpan.FromMinutes(zone[0] == '-' ? -offsetMinutes : offsetMinutes));
        return true;
    }

    /// <summary>Formats an INTERNALDATE value (without quotes).</summary>
    public static string FormatDateTime(DateTimeOffset value)
    {
        var offset = value.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture,
            $"{value.Day:00}-{Months[value.Month - 1]}-{value.Year:0000} {value.Hour:00}:{value.Minute:00}:{value.Second:00} {sign}{abs.Hours:00}{abs.Minutes:00}");
    }
}
