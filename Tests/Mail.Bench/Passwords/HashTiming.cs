using System.Diagnostics;
using System.Globalization;

namespace Mail.Bench.Passwords;

/// <summary>Wall time, per-hash latency, process CPU and managed allocation of <c>Hashes</c> hashes run <c>AtOnce</c> at a time.</summary>
public sealed record HashTiming(int Hashes, int AtOnce, TimeSpan Wall, TimeSpan Latency, TimeSpan Cpu, long AllocatedBytes)
{
    /// <summary>Wall time divided by hashes: the inverse of throughput.</summary>
    public double MsPerHash => Wall.TotalMilliseconds / Hashes;

    /// <summary>Mean time one hash took from start to end.</summary>
    public double LatencyMs => Latency.TotalMilliseconds / Hashes;

    /// <summary>Process CPU (every thread, the GC's included) divided by hashes.</summary>
    public double CpuMsPerHash => Cpu.TotalMilliseconds / Hashes;

    /// <summary>Managed heap bytes allocated per hash, in MiB: garbage a silo's GC has to collect.</summary>
    public double AllocatedMibPerHash => AllocatedBytes / 1048576.0 / Hashes;

    /// <summary>
    /// Runs <paramref name="hashes"/> derivations on <paramref name="atOnce"/> dedicated threads, each with its own
    /// salt and password, and measures them.
    /// </summary>
    public static HashTiming Measure(Argon2Contender contender, int memoryKib, int iterations, int hashes, int atOnce)
    {
        var latencyTicks = 0L;
        var next = -1;
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var wall = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, atOnce).Select(_ => new Thread(() =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < hashes)
            {
                var salt = new byte[16];
                BitConverter.TryWriteBytes(salt, i);
                var started = Stopwatch.GetTimestamp();
                contender.Derive(Argon2Contender.Password(i), salt, memoryKib, iterations);
                Interlocked.Add(ref latencyTicks, Stopwatch.GetElapsedTime(started).Ticks);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        wall.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        process.Refresh();
        return new HashTiming(hashes, atOnce, wall.Elapsed, TimeSpan.FromTicks(latencyTicks), process.TotalProcessorTime - cpuBefore, allocated);
    }

    /// <summary>The figure line for this run.</summary>
    public string Line(string name) => AtOnce == 1
        ? string.Create(CultureInfo.InvariantCulture, $"password-hash: {name} 1 at a time: {MsPerHash:F1} ms per hash, CPU {CpuMsPerHash:F1} ms per hash, managed allocation {AllocatedMibPerHash:F1} MiB per hash ({Hashes} hashes)")
        : string.Create(CultureInfo.InvariantCulture, $"password-hash: {name} {AtOnce} at once: {MsPerHash:F1} ms per hash ({LatencyMs:F1} ms each), CPU {CpuMsPerHash:F1} ms per hash ({Hashes} hashes)");
}
