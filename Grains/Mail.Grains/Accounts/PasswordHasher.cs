using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace Mail.Grains.Accounts;

/// <summary>
/// Argon2id password hashing (RFC 9106) in the PHC string format: $argon2id$v=19$m=…,t=…,p=…$salt$hash. The async
/// methods run the hash on the thread pool, never on a grain's scheduler thread, and at most
/// <see cref="PasswordHashingOptions.MaxConcurrentHashes"/> at once, so a burst of logins queues here instead of
/// taking every core and all memory (each hash holds <see cref="PasswordHashingOptions.MemoryKib"/>).
/// </summary>
public sealed class PasswordHasher(PasswordHashingOptions options)
{
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    private readonly SemaphoreSlim _gate = new(Math.Max(1, options.MaxConcurrentHashes));

    // A hash of a random password nobody knows, at today's cost, made once; unknown users are checked against it.
    private readonly Lazy<string> _decoy = new(() => HashWith(options, SecretDigest.NewSecret()));

    /// <summary>Hashes a password off the caller's thread, within the concurrency bound.</summary>
    public Task<string> HashAsync(string password) => BoundedAsync(() => HashWith(options, password));

    /// <summary>
    /// Checks a password off the caller's thread, within the concurrency bound. Input longer than
    /// <see cref="PasswordPolicy.MaxVerifyBytes"/> fails at once: no stored password is that long.
    /// </summary>
    public Task<bool> VerifyAsync(string password, string phc) =>
        Refused(password) ? Task.FromResult(false) : BoundedAsync(() => Verify(password, phc));

    /// <summary>Spends the work of one verification and fails: what a login for an unknown user costs.</summary>
    public async Task VerifyDecoyAsync(string password)
    {
        if (Refused(password)) return;
        await BoundedAsync(() => Verify(password, _decoy.Value));
    }

    private static string HashWith(PasswordHashingOptions options, string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Compute(password, salt, options.MemoryKib, options.Iterations, options.Parallelism);
        return $"$argon2id$v=19$m={options.MemoryKib},t={options.Iterations},p={options.Parallelism}${Convert.ToBase64String(salt).TrimEnd('=')}${Convert.ToBase64String(hash).TrimEnd('=')}";
    }

    // Checks a password against a PHC string, in constant time; false for a malformed hash. The parameters come from
    // the stored string, so hashes made under older cost settings keep verifying.
    private static bool Verify(string password, string phc)
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

    // Empty and over-long input fail before any hashing, for known and unknown users alike.
    private static bool Refused(string password) =>
        string.IsNullOrEmpty(password) || Encoding.UTF8.GetByteCount(password) > PasswordPolicy.MaxVerifyBytes;

    private async Task<T> BoundedAsync<T>(Func<T> work)
    {
        await _gate.WaitAsync();
        try
        {
            return await Task.Run(work);
        }
        finally
        {
            _gate.Release();
        }
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

    /// <summary>Most hashes computed at once in this silo; more wait their turn.</summary>
    public int MaxConcurrentHashes { get; set; } = Environment.ProcessorCount;
}
