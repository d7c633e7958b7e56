using System.Text;

namespace Mail.Grains.Accounts;

/// <summary>
/// Argon2id password hashing (RFC 9106) in the PHC string format: $argon2id$v=19$m=…,t=…,p=…$salt$hash, computed by
/// libsodium (through Geralt; the native library ships in its NuGet package). The async methods run the hash on the
/// thread pool, never on a grain's scheduler thread, and at most <see cref="PasswordHashingOptions.MaxConcurrentHashes"/>
/// at once, so a burst of logins queues here instead of taking every core and all memory (each hash holds
/// <see cref="PasswordHashingOptions.MemoryKib"/>).
/// </summary>
public sealed class PasswordHasher
{
    private const string Prefix = "$argon2id$v=19$";

    private readonly PasswordHashingOptions _options;
    private readonly SemaphoreSlim _gate;

    // A hash of a random password nobody knows, at today's cost, made once; unknown users are checked against it.
    private readonly Lazy<string> _decoy;

    /// <summary>Refuses costs libsodium cannot compute (the host checks them at start too).</summary>
    public PasswordHasher(PasswordHashingOptions options)
    {
        if (!options.IsValid) throw new ArgumentOutOfRangeException(nameof(options), PasswordHashingOptions.Bounds);
        _options = options;
        _gate = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentHashes));
        _decoy = new Lazy<string>(() => HashWith(options, SecretDigest.NewSecret()));
    }

    /// <summary>Hashes a password off the caller's thread, within the concurrency bound.</summary>
    public Task<string> HashAsync(string password) => BoundedAsync(() => HashWith(_options, password));

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

    // libsodium's crypto_pwhash_str_alg: a random 16-byte salt, one lane (p=1), a 32-byte hash, written as a PHC string.
    private static string HashWith(PasswordHashingOptions options, string password)
    {
        Span<char> encoded = stackalloc char[Geralt.Argon2id.HashSize];
        Geralt.Argon2id.ComputeHash(encoded, Encoding.UTF8.GetBytes(password), options.Iterations, options.MemoryKib * 1024);
        var end = encoded.IndexOf('\0');
        return new string(end < 0 ? encoded : encoded[..end]);
    }

    // libsodium's crypto_pwhash_str_verify: decodes the PHC string, hashes with its parameters (any lane count, salt and
    // hash length, so hashes made under older cost settings or by the managed Konscious implementation keep verifying)
    // and compares in constant time (sodium_memcmp). False for a malformed string or another Argon2 variant.
    private static bool Verify(string password, string phc)
    {
        if (string.IsNullOrEmpty(password) || !phc.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        try
        {
            return Geralt.Argon2id.VerifyHash(phc, Encoding.UTF8.GetBytes(password));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            // Geralt refuses strings outside libsodium's length bounds and non-ASCII encodings before hashing.
            return false;
        }
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
}

/// <summary>
/// Argon2id cost settings; the defaults are OWASP's minimum for Argon2id (19 MiB, 2 passes). libsodium computes one
/// lane (p=1) and verifies stored hashes with any lane count.
/// </summary>
public sealed class PasswordHashingOptions
{
    /// <summary>What <see cref="IsValid"/> requires: libsodium needs 8 KiB; Geralt takes bytes as an int.</summary>
    public const string Bounds = "Mail:Passwords:MemoryKib (MAIL_ARGON2_MEMORY_KIB) must be 8 to 2097151 and Mail:Passwords:Iterations (MAIL_ARGON2_ITERATIONS) at least 1";

    /// <summary>Memory cost in KiB.</summary>
    public int MemoryKib { get; set; } = 19456;

    /// <summary>Number of passes.</summary>
    public int Iterations { get; set; } = 2;

    /// <summary>Most hashes computed at once in this silo; more wait their turn.</summary>
    public int MaxConcurrentHashes { get; set; } = Environment.ProcessorCount;

    /// <summary>Whether libsodium can hash at these costs.</summary>
    public bool IsValid => MemoryKib is >= 8 and <= int.MaxValue / 1024 && Iterations >= 1;
}
