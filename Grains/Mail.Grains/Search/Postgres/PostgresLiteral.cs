using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Mail.Grains.Search.Postgres;

/// <summary>
/// Writes values as SQL literals and inlines them for named parameters (@name) of a statement. Search statements are
/// sent with their values inlined, never as parameters: the data source prepares repeated statements with generic
/// plans (force_generic_plan), and a generic plan cannot see how selective a word, an address or a date range is, nor
/// the LIMIT, which is what decides between walking the date index newest first and collecting matches from a GIN index.
/// </summary>
public static partial class PostgresLiteral
{
    /// <summary>A literal for <paramref name="value"/>: text (an escape string, NUL dropped), integers, booleans, timestamps, text and bigint arrays.</summary>
    public static string Of(object value) => value switch
    {
        string text => Quote(text),
        int number => number.ToString(CultureInfo.InvariantCulture),
        long number => number.ToString(CultureInfo.InvariantCulture),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        bool flag => flag ? "TRUE" : "FALSE",
        DateTime time => Quote(time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)) + "::timestamptz",
        DateTimeOffset time => Of(time.UtcDateTime),
        string[] array => "ARRAY[" + string.Join(", ", array.Select(Quote)) + "]::text[]",
        long[] array => "'{" + string.Join(",", array.Select(n => n.ToString(CultureInfo.InvariantCulture))) + "}'::bigint[]",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "No SQL literal for this type"),
    };

    /// <summary>Replaces every @name of <paramref name="sql"/> by the literal of its value; an unknown name throws.</summary>
    public static string Inline(string sql, IReadOnlyDictionary<string, object> values) =>
        Parameter().Replace(sql, m => values.TryGetValue(m.Groups[1].Value, out var value)
            ? Of(value)
            : throw new InvalidOperationException($"No value for @{m.Groups[1].Value}"));

    // An escape string (E'...') reads the same whatever standard_conforming_strings says; text cannot hold NUL.
    private static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 3).Append("E'");
        foreach (var c in text)
        {
            if (c == '\0') continue;
            if (c is '\'' or '\\') quoted.Append(c);
            quoted.Append(c);
        }
        return quoted.Append('\'').ToString();
    }

    // @name not preceded by @ (so the @@ and @> operators stay as they are).
    [GeneratedRegex(@"(?<!@)@([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Parameter();
}
