namespace Mail.Grains.Accounts;

/// <summary>The persisted document of an account grain.</summary>
public sealed class AccountState
{
    /// <summary>Owning tenant; null until the account is created.</summary>
    public string? TenantId { get; set; }

    /// <summary>Primary address (normalized).</summary>
    public string Address { get; set; } = "";

    /// <summary>Argon2id PHC string.</summary>
    public string PasswordHash { get; set; } = "";

    /// <summary>Alias addresses (normalized).</summary>
    public List<string> Aliases { get; set; } = [];

    /// <summary>Quota in bytes.</summary>
    public long QuotaBytes { get; set; }

    /// <summary>Whether logins and sending are refused.</summary>
    public bool Suspended { get; set; }

    /// <summary>Whether the account was deleted.</summary>
    public bool Deleted { get; set; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Bumped by a password change or a suspension; tokens and sessions carry the version they were issued at.</summary>
    public int TokenVersion { get; set; }

    /// <summary>App passwords and API keys, as digests.</summary>
    public List<AccountSecret> Secrets { get; set; } = [];
}

/// <summary>An app password or API key (of an account or a tenant), stored as a SHA-256 digest.</summary>
public sealed class AccountSecret
{
    /// <summary>Id used to revoke it.</summary>
    public string Id { get; set; } = "";

    /// <summary>A name the user gave it.</summary>
    public string Name { get; set; } = "";

    /// <summary>Either <see cref="AppPassword"/> or <see cref="ApiKey"/>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Hex SHA-256 of the secret.</summary>
    public string Digest { get; set; } = "";

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>What an API key may do (<see cref="Interfaces.Accounts.ApiKeyScopes"/>); null (keys made before scopes) means full.</summary>
    public string? Scope { get; set; }

    /// <summary>When an API key stops working; null for never.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Kind of an app password.</summary>
    public const string AppPassword = "app-password";

    /// <summary>Kind of an API key.</summary>
    public const string ApiKey = "api-key";
}
