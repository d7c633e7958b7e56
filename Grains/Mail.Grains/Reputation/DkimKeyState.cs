namespace Mail.Grains.Reputation;

/// <summary>One DKIM key of a sending domain, its private half sealed by <see cref="DkimKeySealer"/>.</summary>
public sealed class DkimKeyState
{
    /// <summary>The selector (RFC 6376 §3.1): the key record lives at selector._domainkey.domain.</summary>
    public string Selector { get; set; } = "";

    /// <summary>"rsa" or "ed25519": the k= tag of its record.</summary>
    public string Algorithm { get; set; } = "";

    /// <summary>Rotation generation; see <see cref="SendingDomainState.ActiveGeneration"/>.</summary>
    public int Generation { get; set; }

    /// <summary>The p= value of the key record (base64).</summary>
    public string PublicKey { get; set; } = "";

    /// <summary>The PKCS#8 private key, AES-256-GCM sealed under the tenant's key.</summary>
    public byte[] SealedPrivateKey { get; set; } = [];

    /// <summary>When it was made.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When a rotation replaced it; it stays listed for a while so mail signed before still verifies.</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}
