namespace Mail.Grains.Interfaces.Accounts;

/// <summary>
/// What the MX does with mail that fails DMARC under a "p=reject" policy for a tenant's recipients (RFC 7489 §6.6.4
/// leaves the receiver's action to local policy). A tenant without its own choice follows the server's
/// <c>Mail:Smtp:InboundAuth:DmarcRejectAction</c>.
/// </summary>
public static class DmarcRejectActions
{
    /// <summary>Refuse with 550 5.7.1 at the end of DATA.</summary>
    public const string Reject = "reject";

    /// <summary>Accept and file in Junk.</summary>
    public const string Quarantine = "quarantine";

    /// <summary>The action in canonical form, or null when <paramref name="value"/> is neither.</summary>
    public static string? Normalize(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        Reject => Reject,
        Quarantine => Quarantine,
        _ => null,
    };
}
