using System.Globalization;

namespace Mail.Bench.Passwords;

/// <summary>
/// `password-hash`: time and CPU per Argon2id hash of the managed Konscious implementation and of libsodium, one at a
/// time and two at once, at the product's default cost, after checking that both derive the same bytes (so hashes
/// stored by one verify with the other). No server, no database: the hash is the whole cost of a password check.
/// </summary>
public static class PasswordHashBenchmark
{
    private const int CrossCheckPairs = 8;

    /// <summary>Prints the cross-check line, two lines per implementation and a ratio line; 1 if the outputs differ.</summary>
    public static int Run(BenchArguments options)
    {
        var memoryKib = options.Int("memory-kib", 19456);
        var iterations = options.Int("iterations", 2);
        var hashes = options.Int("hashes", 20);
        var contenders = new[] { Argon2Contender.Konscious, Argon2Contender.Libsodium };
        var costs = $"m={memoryKib} KiB, t={iterations}, p=1";

        var same = CrossCheck(memoryKib, iterations);
        Console.WriteLine($"password-hash: cross-check: {same} of {CrossCheckPairs} password/salt pairs derive identical bytes in both ({costs}); libsodium {NativeSodium.Describe()}");
        if (same != CrossCheckPairs) return 1;

        var results = new Dictionary<string, (HashTiming One, HashTiming Two)>();
        foreach (var contender in contenders)
        {
            Console.Error.WriteLine($"password-hash: {contender.Name}: warming up, then {hashes} hashes 1 at a time and {hashes} 2 at once");
            HashTiming.Measure(contender, memoryKib, iterations, 2, 1);
            var one = HashTiming.Measure(contender, memoryKib, iterations, hashes, 1);
            var two = HashTiming.Measure(contender, memoryKib, iterations, hashes, 2);
            Console.WriteLine(one.Line(contender.Name));
            Console.WriteLine(two.Line(contender.Name));
            results[contender.Name] = (one, two);
        }
        var (k, l) = (results["konscious"], results["libsodium"]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"password-hash: libsodium/konscious: {k.One.MsPerHash / l.One.MsPerHash:F1}x faster 1 at a time, {k.Two.MsPerHash / l.Two.MsPerHash:F1}x 2 at once, {k.One.CpuMsPerHash / l.One.CpuMsPerHash:F1}x less CPU per hash ({costs}, {Environment.ProcessorCount} cores)"));
        return 0;
    }

    // Distinct passwords (one non-ASCII) and random salts: both implementations must agree on every byte.
    private static int CrossCheck(int memoryKib, int iterations)
    {
        var same = 0;
        for (var i = 0; i < CrossCheckPairs; i++)
        {
            var password = i == 0 ? "pässwörd-✓"u8.ToArray() : Argon2Contender.Password(i);
            var salt = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
            var managed = Argon2Contender.Konscious.Derive(password, salt, memoryKib, iterations);
            var native = Argon2Contender.Libsodium.Derive(password, salt, memoryKib, iterations);
            if (managed.AsSpan().SequenceEqual(native)) same++;
        }
        return same;
    }
}
