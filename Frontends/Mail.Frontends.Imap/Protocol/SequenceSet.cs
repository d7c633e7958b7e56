using System.Globalization;
using System.Text;

namespace Mail.Frontends.Imap.Protocol;

/// <summary>
/// A sequence-set (RFC 9051 §9): numbers and ranges, "*" meaning the largest number in use; or "$", the UIDs the last
/// SEARCH RETURN (SAVE) saved (RFC 5182 §2.1, part of IMAP4rev2), which the session substitutes before use.
/// </summary>
public sealed record SequenceSet(IReadOnlyList<SequenceRange> Ranges)
{
    /// <summary>"$": the saved search result.</summary>
    public static readonly SequenceSet SavedResult = new([]) { IsSavedResult = true };

    /// <summary>Whether this is "$".</summary>
    public bool IsSavedResult { get; private init; }

    /// <summary>The value standing for "*": above every seq-number and UID (RFC 9051 §9: those go up to 4294967295).</summary>
    public const long Star = long.MaxValue;

    /// <summary>Whether <paramref name="value"/> is in the set when the largest number in use is <paramref name="largest"/>.</summary>
    public bool Contains(long value, long largest)
    {
        foreach (var range in Ranges)
        {
            var a = range.Start == Star ? largest : range.Start;
            var b = range.End == Star ? largest : range.End;
            if (value >= Math.Min(a, b) && value <= Math.Max(a, b)) return true;
        }
        return false;
    }

    /// <summary>The set in wire form.</summary>
    public override string ToString() => IsSavedResult ? "$" : string.Join(',', Ranges.Select(r =>
        r.Start == r.End ? Number(r.Start) : Number(r.Start) + ":" + Number(r.End)));

    /// <summary>Compresses ascending numbers into a sequence set ("1:3,7"); empty input gives "".</summary>
    public static string Format(IEnumerable<long> ascending)
    {
        var builder = new StringBuilder();
        long start = -1, previous = -1;
        foreach (var n in ascending)
        {
            if (start < 0) start = previous = n;
            else if (n == previous + 1) previous = n;
            else
            {
                Append(builder, start, previous);
                start = previous = n;
            }
        }
        if (start >= 0) Append(builder, start, previous);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, long start, long end)
    {
        if (builder.Length > 0) builder.Append(',');
        builder.Append(start.ToString(CultureInfo.InvariantCulture));
        if (end != start) builder.Append(':').Append(end.ToString(CultureInfo.InvariantCulture));
    }

    private static string Number(long n) => n == Star ? "*" : n.ToString(CultureInfo.InvariantCulture);
}
