namespace Mail.Grains.Delivery.Sieve;

/// <summary>
/// Match types (RFC 5228 §2.7.1: :is, :contains, :matches with "*", "?" and "\" escapes) under the comparators
/// i;octet and i;ascii-casemap (RFC 4790 §9.2, §9.3: ASCII letters compared without case, nothing else folded).
/// </summary>
public static class SieveMatcher
{
    /// <summary>The relations of the relational extension (RFC 5231 §4).</summary>
    public static readonly IReadOnlySet<string> Relations = new HashSet<string> { "gt", "ge", "lt", "le", "eq", "ne" };

    /// <summary>
    /// RFC 5231 §4 :value: whether <paramref name="value"/> stands in <paramref name="relation"/> to <paramref name="key"/>
    /// under the comparator's ordering (i;octet by octets, i;ascii-casemap by octets after folding ASCII letters).
    /// </summary>
    public static bool Relational(string relation, string comparator, string value, string key)
    {
        if (comparator != "i;octet")
        {
            value = Fold(value);
            key = Fold(key);
        }
        return Holds(relation, string.CompareOrdinal(value, key));
    }

    /// <summary>Whether an ordering result (negative, zero, positive) satisfies the relation.</summary>
    public static bool Holds(string relation, int order) => relation.ToLowerInvariant() switch
    {
        "gt" => order > 0,
        "ge" => order >= 0,
        "lt" => order < 0,
        "le" => order <= 0,
        "eq" => order == 0,
        _ => order != 0,
    };

    /// <summary>Whether <paramref name="value"/> matches <paramref name="key"/>.</summary>
    public static bool Match(string matchType, string comparator, string value, string key)
    {
        var fold = comparator != "i;octet";
        if (fold)
        {
            value = Fold(value);
            key = Fold(key);
        }
        return matchType switch
        {
            "contains" => value.Contains(key, StringComparison.Ordinal),
            "matches" => Glob(value, key),
            _ => value == key,
        };
    }

    private static string Fold(string s) => string.Create(s.Length, s, (span, v) =>
    {
        for (var i = 0; i < v.Length; i++) span[i] = v[i] is >= 'a' and <= 'z' ? (char)(v[i] - 32) : v[i];
    });

    /// <summary>Wildcard match in O(value × pattern) time, whatever the pattern (no backtracking blow-up).</summary>
    private static bool Glob(string value, string pattern)
    {
        // Pattern items: a literal char, '?' (one char) or '*' (any run); "\x" is literal x.
        var items = new List<(char C, int Kind)>();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length) items.Add((pattern[++i], 0));
            else if (c == '*') items.Add((c, 2));
            else if (c == '?') items.Add((c, 1));
            else items.Add((c, 0));
        }
        var current = new bool[value.Length + 1];
        current[0] = true;
        foreach (var (c, kind) in items)
        {
            var next = new bool[value.Length + 1];
            for (var j = 0; j <= value.Length; j++)
            {
                if (kind == 2)
                {
                    next[j] = current[j] || j > 0 && next[j - 1];
                }
                else if (j > 0 && current[j - 1] && (kind == 1 || value[j - 1] == c))
                {
                    next[j] = true;
                }
            }
            current = next;
        }
        return current[value.Length];
    }
}
