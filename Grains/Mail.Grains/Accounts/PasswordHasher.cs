using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace Mail.Grains.Accounts;

/// <summary>Argon2id password hashing (RFC 9106) in the PHC string format: $argon2id$v=19$m=…,t=…,p=…$salt$hash.</summary>
public sealed class PasswordHasher(PasswordHashingOptions options)
{
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>Hashes a password with a fresh random salt.</summary>
    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Compute(password, salt, options.MemoryKib, options.Iterations, options.Parallelism);
        return $"$argon2id$v=19$m={options.MemoryKib},t={options.Iterations},p={options.Parallelism}${Convert.ToBase64String(salt).TrimEnd('=')}${Convert.ToBase64String(hash).TrimEnd('=')}";
    }

    /// <summary>Checks a password against a PHC string, in constant time; false for a malformed hash.</summary>
    public static bool Verify(string password, string phc)
    {
        if (string.IsNullOrEmpty(password)) return false;
        var parts = phc.Split('$');
        if (parts.Length != 6 || parts[1] != "argon2id" || parts[2] != "v=19") return false;
        int memory = 0, iterations = 0, parallelism = 0;
        foreach (var setting in parts[3].Split(','))
        {
            var kv = setting.Split('=');
            if (kv.Length != 2 || !int.TryParse(kv[1], out var value) || value <= 0) return false;
            switch (kv[0])
            {
                case "m": memory = value; break;
                case "t": iterations = value; break;
                case "p": parallelism = value; break;
                default: return false;
            }
        }
        if (memory == 0 || iterations == 0 || parallelism == 0) return false;
        var salt = FromUnpaddedBase64(parts[4]);
        var expected = FromUnpaddedBase64(parts[5]);
        if (salt is null || expected is null) return false;
        var actual = Compute(password, salt, memory, iterations, parallelism, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static byte[] Compute(string password, byte[] salt, int memoryKib, int iterations, int parallelism, int length = HashBytes)
    {
        using var argon = new Argon2id(Encoding.UTF8.GetBytes(password))
        {
            Salt = salt,
            MemorySize = memoryKib,
            Iterations = iterations,
            DegreeOfParallelism = parallelism,
        };
        return argon.GetBytes(length);
    }

    private static byte[]? FromUnpaddedBase64(string text)
    {
        var padded = text.PadRight(text.Length + (4 - text.Length % 4) % 4, '=');
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>Argon2id cost settings; the defaults are OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane).</summary>
public sealed class PasswordHashingOptions
{
    /// <summary>Memory cost in KiB.</summary>
    public int MemoryKib { get; set; } = 19456;

    /// <summary>Number of passes.</summary>
    public int Iterations { get; set; } = 2;

    /// <summary>Degree of parallelism.</summary>
    public int Parallelism { get; set; } = 1;
}
