using System.Text;
using Mail.Grains.Accounts;

namespace Mail.Grains.Tests.Accounts;

/// <summary>
/// The libsodium Argon2id hasher against known answers (RFC 9106 §5.3 through the managed reference, the reference
/// implementation's PHC string) and against hashes stored by the managed Konscious implementation it replaced.
/// </summary>
public sealed class PasswordHasherTests
{
    private static readonly PasswordHashingOptions Defaults = new();

    // Made on 2026-11-30 by the previous PasswordHasher (Konscious 1.3.1) at the default costs, salt A0 A1 … AF.
    private const string KonsciousDefaultCostHash = "$argon2id$v=19$m=19456,t=2,p=1$oKGio6SlpqeoqaqrrK2urw$rMe0jQmTRfUjFZAX+23R7GcPody61Pe6C6qZ7hF35rM";
    private const string KonsciousDefaultCostPassword = "Tr0ub4dor&3 ünïcode";

    [Fact]
    public void TheManagedReferenceReproducesTheRfc9106Argon2idVector()
    {
        // RFC 9106 §5.3: password 32 × 01, salt 16 × 02, secret 8 × 03, associated data 12 × 04, m=32, t=3, p=4.
        // libsodium's crypto_pwhash takes no secret or associated data, so the vector anchors the managed
        // implementation the byte-for-byte checks below compare libsodium with.
        using var argon = new Konscious.Security.Cryptography.Argon2id(Filled(32, 0x01))
        {
            Salt = Filled(16, 0x02),
            KnownSecret = Filled(8, 0x03),
            AssociatedData = Filled(12, 0x04),
            MemorySize = 32,
            Iterations = 3,
            DegreeOfParallelism = 4,
        };

        Assert.Equal("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659", Convert.ToHexStringLower(argon.GetBytes(32)));
    }

    [Fact]
    public async Task VerifiesTheReferenceImplementationsPhcString()
    {
        // phc-winner-argon2 src/test.c: "password", salt "somesalt" (8 bytes), m=65536, t=2, p=1.
        const string reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        var hasher = new PasswordHasher(Defaults);

        Assert.True(await hasher.VerifyAsync("password", reference));
        Assert.False(await hasher.VerifyAsync("passwore", reference));
        Assert.False(await hasher.VerifyAsync("password", reference.Replace("c29tZXNhbHQ", "c29tZXNhbHR", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AHashStoredByTheManagedImplementationStillVerifies()
    {
        var hasher = new PasswordHasher(Defaults);

        Assert.True(await hasher.VerifyAsync(KonsciousDefaultCostPassword, KonsciousDefaultCostHash));
        Assert.False(await hasher.VerifyAsync(KonsciousDefaultCostPassword + " ", KonsciousDefaultCostHash));
        Assert.False(await hasher.VerifyAsync("Tr0ub4dor&3 unicode", KonsciousDefaultCostHash));
    }

    [Theory]
    [InlineData(19456, 2, 1)]
    [InlineData(1024, 1, 1)]
    [InlineData(4096, 3, 2)]
    [InlineData(2048, 1, 4)]
    public async Task HashesTheManagedImplementationMakesNowVerify(int memoryKib, int iterations, int parallelism)
    {
        var password = $"pässword-{Guid.NewGuid():N}";
        var phc = KonsciousPhc(password, RandomSalt(), memoryKib, iterations, parallelism);
        var hasher = new PasswordHasher(new PasswordHashingOptions { MemoryKib = 1024, Iterations = 1 });

        Assert.True(await hasher.VerifyAsync(password, phc));
        Assert.False(await hasher.VerifyAsync(password + "x", phc));
    }

    [Fact]
    public async Task NewHashesEqualTheManagedImplementationsByteForByte()
    {
        var hasher = new PasswordHasher(Defaults);
        var password = $"correct horse ✓ {Guid.NewGuid():N}";

        var phc = await hasher.HashAsync(password);

        Assert.Matches(@"^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$", phc);
        var parts = phc.Split('$');
        var salt = FromUnpaddedBase64(parts[4]);
        Assert.Equal(KonsciousPhc(password, salt, 19456, 2, 1), phc);
        Assert.True(await hasher.VerifyAsync(password, phc));
        Assert.NotEqual(phc, await hasher.HashAsync(password));
    }

    [Fact]
    public async Task HashesCarryTheConfiguredCostsAndOlderCostsKeepVerifying()
    {
        var old = await new PasswordHasher(new PasswordHashingOptions { MemoryKib = 1024, Iterations = 1 }).HashAsync("secret");
        var hasher = new PasswordHasher(new PasswordHashingOptions { MemoryKib = 2048, Iterations = 3 });

        Assert.StartsWith("$argon2id$v=19$m=1024,t=1,p=1$", old);
        Assert.StartsWith("$argon2id$v=19$m=2048,t=3,p=1$", await hasher.HashAsync("secret"));
        Assert.True(await hasher.VerifyAsync("secret", old));
    }

    [Theory]
    [InlineData("$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")]
    [InlineData("$argon2d$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")]
    [InlineData("$argon2id$v=16$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")]
    [InlineData("$argon2id$v=19$m=abc,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")]
    [InlineData("$argon2id$v=19$m=65536,t=0,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")]
    [InlineData("$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPé")]
    [InlineData("$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ")]
    [InlineData("$argon2id$v=19$")]
    [InlineData("")]
    [InlineData("$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy")]
    public async Task MalformedOrForeignHashesFailWithoutThrowing(string phc)
    {
        Assert.False(await new PasswordHasher(Defaults).VerifyAsync("password", phc));
    }

    [Fact]
    public async Task AnOverlongStringFailsWithoutThrowing()
    {
        var phc = KonsciousPhc("password", RandomSalt(), 1024, 1, 1, hashBytes: 128);

        Assert.False(await new PasswordHasher(Defaults).VerifyAsync("password", phc));
    }

    [Theory]
    [InlineData(4, 2)]
    [InlineData(19456, 0)]
    [InlineData(2097152, 2)]
    public void CostsLibsodiumCannotComputeAreRefused(int memoryKib, int iterations)
    {
        var options = new PasswordHashingOptions { MemoryKib = memoryKib, Iterations = iterations };

        Assert.False(options.IsValid);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PasswordHasher(options));
    }

    // The previous PasswordHasher's output, to the character: Konscious bytes, unpadded base64 salt and hash.
    private static string KonsciousPhc(string password, byte[] salt, int memoryKib, int iterations, int parallelism, int hashBytes = 32)
    {
        using var argon = new Konscious.Security.Cryptography.Argon2id(Encoding.UTF8.GetBytes(password))
        {
            Salt = salt,
            MemorySize = memoryKib,
            Iterations = iterations,
            DegreeOfParallelism = parallelism,
        };
        var hash = argon.GetBytes(hashBytes);
        return $"$argon2id$v=19$m={memoryKib},t={iterations},p={parallelism}${Convert.ToBase64String(salt).TrimEnd('=')}${Convert.ToBase64String(hash).TrimEnd('=')}";
    }

    private static byte[] RandomSalt() => System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);

    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    private static byte[] FromUnpaddedBase64(string text) => Convert.FromBase64String(text.PadRight(text.Length + (4 - text.Length % 4) % 4, '='));
}
