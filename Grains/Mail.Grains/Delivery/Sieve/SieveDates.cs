using System.Globalization;

namespace Mail.Grains.Delivery.Sieve;

/// <summary>
/// The date parts of the "date" extension (RFC 5260 §4.2): what the <c>date</c> and <c>currentdate</c> tests extract
/// from a date-time in a zone (RFC 5260 §4.1: <c>:zone "+hhmm"</c>; without it, the zone of the date itself for
/// <c>date</c>, and UTC, this server's local zone, for <c>currentdate</c>).
/// </summary>
public static class SieveDates
{
    /// <summary>The date parts this server extracts.</summary>
    public static readonly IReadOnlySet<string> Parts = new HashSet<string>
    {
        "year", "month", "day", "date", "julian", "hour", "minute", "second", "time", "iso8601", "std11", "zone", "weekday",
    };

    /// <summary>Parses a zone of the form +hhmm / -hhmm (RFC 5260 §4.1).</summary>
    public static bool TryParseZone(string zone, out TimeSpan offset)
    {
        offset = default;
        if (zone.Length != 5 || zone[0] is not ('+' or '-') || !int.TryParse(zone.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(zone.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m) || h > 23 || m > 59)
        {
            return false;
        }
        offset = new TimeSpan(h, m, 0) * (zone[0] == '-' ? -1 : 1);
        return true;
    }

    /// <summary>The part of <paramref name="at"/> named <paramref name="part"/>, in the zone of <paramref name="at"/>.</summary>
    public static string Part(DateTimeOffset at, string part)
    {
        var c = CultureInfo.InvariantCulture;
        var zone = (at.Offset < TimeSpan.Zero ? "-" : "+") + at.Offset.Duration().ToString("hhmm", c);
        return part.ToLowerInvariant() switch
        {
            "year" => at.Year.ToString("D4", c),
            "month" => at.Month.ToString("D2", c),
            "day" => at.Day.ToString("D2", c),
            "date" => at.ToString("yyyy-MM-dd", c),
            // RFC 5260 §4.2: the Modified Julian Day, days since 1858-11-17.
            "julian" => ((int)(at.Date - new DateTime(1858, 11, 17)).TotalDays).ToString(c),
            "hour" => at.Hour.ToString("D2", c),
            "minute" => at.Minute.ToString("D2", c),
            "second" => at.Second.ToString("D2", c),
            "time" => at.ToString("HH:mm:ss", c),
            "iso8601" => at.ToString("yyyy-MM-dd'T'HH:mm:ss", c) + (at.Offset == TimeSpan.Zero ? "Z" : at.ToString("zzz", c)),
            "std11" => at.ToString("ddd, dd MMM yyyy HH:mm:ss ", c) + zone,
            "zone" => zone,
            _ => ((int)at.DayOfWeek).ToString(c),
        };
    }
}
