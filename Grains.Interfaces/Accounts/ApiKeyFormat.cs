namespace Mail.Grains.Interfaces.Accounts;

/// <summary>API keys carry their account id ("mk_{account}_{secret}") so a frontend can route one to its account grain without a lookup.</summary>
public static class ApiKeyFormat
{
    /// <summary>Prefix of every API key.</summary>
    public const string Prefix = "mk_";

    /// <summary>Builds a key from an account id and a secret.</summary>
    public static string Compose(string accountId, string secret) => $"{Prefix}{accountId}_{secret}";

    /// <summary>The account id in a key, or null if the key is not in this format.</summary>
    public static string? AccountIdOf(string? apiKey)
    {
        if (apiKey is null || !apiKey.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var end = apiKey.IndexOf('_', Prefix.Length);
        return end > Prefix.Length ? apiKey[Prefix.Length..end] : null;
    }
}
