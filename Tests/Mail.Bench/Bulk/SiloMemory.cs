using System.Globalization;

namespace Mail.Bench.Bulk;

/// <summary>Samples a process's resident set size (VmRSS of /proc/PID/status) in the background, with the job's progress at each sample.</summary>
public sealed class SiloMemory : IAsyncDisposable
{
    private readonly int _pid;
    private readonly Func<double> _progress;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(double Progress, long Bytes)> _samples = [];
    private readonly Task _loop;

    /// <summary>Starts sampling <paramref name="pid"/> every <paramref name="interval"/>.</summary>
    public SiloMemory(int pid, TimeSpan interval, Func<double> progress)
    {
        _pid = pid;
        _progress = progress;
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            Sample();
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token)) Sample();
            }
            catch (OperationCanceledException)
            {
                Sample();
            }
        });
    }

    /// <summary>The current resident set size in bytes.</summary>
    public static long Rss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
            var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
            return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
        }
        return 0;
    }

    /// <summary>The largest sample.</summary>
    public long Peak
    {
        get
        {
            lock (_samples) return _samples.Count == 0 ? 0 : _samples.Max(s => s.Bytes);
        }
    }

    /// <summary>The first sample taken at or after <paramref name="progress"/> (0 to 1).</summary>
    public long At(double progress)
    {
        lock (_samples) return _samples.FirstOrDefault(s => s.Progress >= progress).Bytes;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_loop.IsCompleted) return;
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private void Sample()
    {
        var bytes = Rss(_pid);
        lock (_samples) _samples.Add((_progress(), bytes));
    }
}
