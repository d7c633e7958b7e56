namespace Mail.Grains.Interfaces.Outbound;

/// <summary>
/// A key to sign with: <paramref name="Selector"/> (s= tag), <paramref name="Algorithm"/> ("rsa" or
/// "ed25519", the k= of its record) and the private key as PKCS#8 DER.
/// </summary>
[GenerateSerializer, Immutable, Alias("mail.DkimSigningKey")]
public sealed record DkimSigningKey(
    [property: Id(0)] string Selector,
    [property: Id(1)] string Algorithm,
    [property: Id(2)] byte[] PrivateKeyPkcs8);
