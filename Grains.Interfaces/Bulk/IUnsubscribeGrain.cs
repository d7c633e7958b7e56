namespace Mail.Grains.Interfaces.Bulk;

/// <summary>
/// One-click unsubscribe (RFC 8058): checks the signed token of a List-Unsubscribe link and suppresses its recipient for
/// its tenant. A stateless worker; the token's key never leaves the silo.
/// </summary>
[Alias("mail.IUnsubscribeGrain")]
public interface IUnsubscribeGrain : IGrainWithIntegerKey
{
    /// <summary>Whom the token names, or null when it is malformed or its signature does not verify.</summary>
    Task<UnsubscribeTarget?> CheckAsync(string token);

    /// <summary>Suppresses the token's recipient for its tenant (reason "unsubscribe"); null, and nothing done, for a bad token.</summary>
    Task<UnsubscribeTarget?> UnsubscribeAsync(string token);
}
