using System.Text;

namespace Mail.Bench.Passwords;

/// <summary>One Argon2id implementation under test: derives raw bytes from password and salt at given costs (one lane).</summary>
public sealed record Argon2Contender(string Name, Func<byte[], byte[], int, int, byte[]> Derive)
{
    /// <summary>Output length, as the product's PHC strings carry (32 bytes).</summary>
    public const int HashBytes = 32;

    /// <summary>The managed implementation the product used until now (Konscious.Security.Cryptography.Argon2).</summary>
    public static Argon2Contender Konscious { get; } = new("konscious", (password, salt, memoryKib, iterations) =>
    {
        using var argon = new global::Konscious.Security.Cryptography.Argon2id(password)
        {
            Salt = salt,
            MemorySize = memoryKib,
            Iterations = iterations,
            DegreeOfParallelism = 1,
        };
        return argon.GetBytes(HashBytes);
    });

    /// <summary>libsodium's crypto_pwhash (Argon2id v1.3) through Geralt, with the native library its NuGet package ships.</summary>
    public static Argon2Contender Libsodium { get; } = new("libsodium", (password, salt, memoryKib, iterations) =>
    {
        var hash = new byte[HashBytes];
        Geralt.Argon2id.DeriveKey(hash, password, salt, iterations, memoryKib * 1024);
        return hash;
    });

    /// <summary>A password for run <paramref name="i"/>: distinct per hash, like real logins.</summary>
    public static byte[] Password(int i) => Encoding.UTF8.GetBytes($"correct-horse-battery-staple-{i}");
}
