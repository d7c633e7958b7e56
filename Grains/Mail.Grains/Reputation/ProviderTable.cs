using Mail.Grains.Reputation.Options;

namespace Mail.Grains.Reputation;

/// <summary>
/// Names the receiving provider of a destination from its MX host names (gmail-smtp-in.l.google.com → gmail), or,
/// when none matches, from the recipient domain; <see cref="Other"/> for the rest. Longer suffixes win.
/// </summary>
public sealed class ProviderTable
{
    /// <summary>The provider of every destination no suffix names.</summary>
    public const string Other = "other";

    /// <summary>The built-in providers: suffixes, and the per-IP shaping the big providers publish or tolerate.</summary>
    public static IReadOnlyDictionary<string, ProviderOptions> Defaults { get; } = new Dictionary<string, ProviderOptions>(StringComparer.OrdinalIgnoreCase)
    {
        ["gmail"] = new() { Suffixes = ["google.com", "gmail.com", "googlemail.com"], Connections = 5, MessagesPerConnection = 50 },
        ["microsoft"] = new() { Suffixes = ["outlook.com", "hotmail.com", "live.com", "protection.outlook.com"], Connections = 5, MessagesPerConnection = 20 },
        ["yahoo"] = new() { Suffixes = ["yahoodns.net", "yahoo.com"], Connections = 5, MessagesPerConnection = 20 },
    };

    private readonly (string Dotted, string Bare, string Provider)[] _suffixes;

    /// <summary>A table of the configured providers.</summary>
    public ProviderTable(IReadOnlyDictionary<string, ProviderOptions> providers)
    {
        _suffixes = providers.SelectMany(p => p.Value.Suffixes.Select(s => s.Trim().Trim('.').ToLowerInvariant())
                .Where(s => s.Length > 0).Select(s => ("." + s, s, p.Key.ToLowerInvariant())))
            .OrderByDescending(s => s.Item2.Length).ToArray();
        Names = providers.Keys.Select(k => k.ToLowerInvariant()).Append(Other).Distinct().Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Every provider name, <see cref="Other"/> included.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The provider of mail to <paramref name="domain"/> through <paramref name="hosts"/>.</summary>
    public string Classify(IEnumerable<string> hosts, string domain)
    {
        foreach (var host in hosts)
        {
            if (Match(host) is { } provider) return provider;
        }
        return Match(domain) ?? Other;
    }

    private string? Match(string name)
    {
        var n = name.TrimEnd('.');
        foreach (var (dotted, bare, provider) in _suffixes)
        {
            if (n.EndsWith(dotted, StringComparison.OrdinalIgnoreCase) || n.Equals(bare, StringComparison.OrdinalIgnoreCase)) return provider;
        }
        return null;
    }
}
