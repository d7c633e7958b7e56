namespace Mail.Grains.Reputation.Unsubscribe;

/// <summary>Makes the unsubscribe tokens of one tenant under one key version (see <see cref="UnsubscribeTokens"/>).</summary>
public sealed class UnsubscribeSigner(string tenantId, int keyVersion, byte[] derivedKey)
{
    /// <summary>The token naming <paramref name="address"/> (lower-cased) as a recipient of the tenant's mail.</summary>
    public string Issue(string address) =>
        UnsubscribeTokens.Seal(UnsubscribeTokens.Payload(keyVersion, tenantId, address.ToLowerInvariant()), derivedKey);
}
