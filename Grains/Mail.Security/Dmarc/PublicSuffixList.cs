namespace Mail.Security.Dmarc;

/// <summary>
/// The Public Suffix List (publicsuffix.org) for organizational domains (RFC 7489 §3.2): normal, wildcard and exception
/// rules, the implicit "*" rule. <see cref="Default"/> loads Debian's copy once.
/// </summary>
public sealed class PublicSuffixList
{
    /// <summary>Where Debian's publicsuffix package installs the list.</summary>
    public const string DebianPath = "/usr/share/publicsuffix/public_suffix_list.dat";

    private static readonly Lazy<PublicSuffixList> Shared = new(() => Load(File.ReadLines(DebianPath)));

    private readonly HashSet<string> _rules = new(StringComparer.Ordinal);
    private readonly HashSet<string> _wildcards = new(StringComparer.Ordinal);
    private readonly HashSet<string> _exceptions = new(StringComparer.Ordinal);

    /// <summary>The list from <see cref="DebianPath"/>, read on first use.</summary>
    public static PublicSuffixList Default => Shared.Value;

    /// <summary>Parses the list's lines (comments start with //; a rule ends at whitespace).</summary>
    public static PublicSuffixList Load(IEnumerable<string> lines)
    {
        var list = new PublicSuffixList();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal)) continue;
            var rule = line.Split(' ', '\t')[0].ToLowerInvariant();
            if (rule.StartsWith("!", StringComparison.Ordinal)) list._exceptions.Add(rule[1..]);
            else if (rule.StartsWith("*.", StringComparison.Ordinal)) list._wildcards.Add(rule[2..]);
            else list._rules.Add(rule);
        }
        return list;
    }

    /// <summary>The organizational domain: the public suffix plus one label (RFC 7489 §3.2); the name itself when it is a suffix.</summary>
    public string OrganizationalDomain(string domain)
    {
        var labels = domain.TrimEnd('.').ToLowerInvariant().Split('.');
        var suffixLabels = 1;
        for (var i = 0; i < labels.Length; i++)
        {
            var candidate = string.Join('.', labels[i..]);
            if (_exceptions.Contains(candidate))
            {
                suffixLabels = labels.Length - i - 1;
                break;
            }
            if (_rules.Contains(candidate))
            {
                suffixLabels = labels.Length - i;
                break;
            }
            if (i + 1 < labels.Length && _wildcards.Contains(string.Join('.', labels[(i + 1)..])))
            {
                suffixLabels = labels.Length - i;
                break;
            }
        }
        var keep = Math.Min(labels.Length, suffixLabels + 1);
        return string.Join('.', labels[^keep..]);
    }
}
