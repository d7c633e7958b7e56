using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Mail.Grains.Outbound.Dkim;

/// <summary>
/// One RSA private key as platform (OpenSSL) key objects, lent one signer at a time: a key object is not documented
/// as safe to share between threads, and bulk mail signs on many at once.
/// </summary>
public sealed class RsaKeyPool(byte[] pkcs8)
{
    private readonly ConcurrentBag<RSA> _idle = [];

    /// <summary>A key object for one signature; give it back with <see cref="Return"/>.</summary>
    public RSA Rent()
    {
        if (_idle.TryTake(out var rsa)) return rsa;
        rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(pkcs8, out _);
        return rsa;
    }

    /// <summary>Gives a key object back for the next signature.</summary>
    public void Return(RSA rsa) => _idle.Add(rsa);
}
