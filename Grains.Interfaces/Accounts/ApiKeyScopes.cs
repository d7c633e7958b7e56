namespace Mail.Grains.Interfaces.Accounts;

/// <summary>
/// What an API key may do. An account's key: <see cref="Send"/> mail, <see cref="Read"/> the mailbox, or everything
/// (<see cref="Full"/>). A tenant's key: <see cref="Bulk"/> sending for the whole tenant, and nothing of any mailbox.
/// </summary>
public static class ApiKeyScopes
{
    /// <summary>Send mail: POST /v1/send and SMTP submission.</summary>
    public const string Send = "send";

    /// <summary>Read the mailbox: GET on messages, folders and quota; IMAP and POP3.</summary>
    public const string Read = "read";

    /// <summary>Everything an account may do, including managing its keys.</summary>
    public const string Full = "full";

    /// <summary>Tenant keys: bulk jobs (/v1/bulk) sent from any of the tenant's verified domains.</summary>
    public const string Bulk = "bulk";

    /// <summary>Whether a scope is one of the three an account key may have.</summary>
    public static bool IsValid(string? scope) => scope is Send or Read or Full;

    /// <summary>Whether a scope is one a tenant key may have.</summary>
    public static bool IsValidForTenant(string? scope) => scope is Bulk;

    /// <summary>Whether a key granted <paramref name="granted"/> may do what <paramref name="needed"/> names.</summary>
    public static bool Allows(string granted, string needed) => granted == Full || granted == needed;
}
