using System.Globalization;

namespace Mail.Grains.Reputation;

/// <summary>A message rate written as "N/unit" (unit s, m, h or d, e.g. "100/h"), as KumoMTA's shaping writes them.</summary>
public readonly record struct MessageRate(double Count, TimeSpan Per)
{
    /// <summary>Messages per second.</summary>
    public double PerSecond => Count / Per.TotalSeconds;

    /// <summary>The time one message takes at this rate.</summary>
    public TimeSpan Interval => Per / Count;

    /// <summary>Parses "N/unit"; false for anything else (a count that is not positive included).</summary>
    public static bool TryParse(string? text, out MessageRate rate)
    {
        rate = default;
        var slash = text?.IndexOf('/') ?? -1;
        if (text is null || slash <= 0) return false;
        if (!double.TryParse(text.AsSpan(0, slash).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var count) || !(count > 0) || double.IsInfinity(count)) return false;
        TimeSpan? per = text[(slash + 1)..].Trim().ToLowerInvariant() switch
        {
            "s" or "sec" or "second" => TimeSpan.FromSeconds(1),
            "m" or "min" or "minute" => TimeSpan.FromMinutes(1),
            "h" or "hour" => TimeSpan.FromHours(1),
            "d" or "day" => TimeSpan.FromDays(1),
            _ => null,
        };
        if (per is null) return false;
        rate = new MessageRate(count, per.Value);
        return true;
    }

    /// <summary>Parses "N/unit" or throws with what is wrong.</summary>
    public static MessageRate Parse(string text) =>
        TryParse(text, out var rate) ? rate : throw new FormatException($"'{text}' is not a message rate: write N/s, N/m, N/h or N/d with N > 0");

    /// <inheritdoc />
    public override string ToString()
    {
        var unit = Per == TimeSpan.FromSeconds(1) ? "s" : Per == TimeSpan.FromMinutes(1) ? "m" : Per == TimeSpan.FromHours(1) ? "h" : "d";
        return $"{Count.ToString(CultureInfo.InvariantCulture)}/{unit}";
    }
}
