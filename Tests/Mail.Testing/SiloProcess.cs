using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Mail.Testing;

/// <summary>The real silo as a separate process (the build output of Silo/), so a test can kill it like a crash would.</summary>
public sealed class SiloProcess(IReadOnlyDictionary<string, string> environment, Uri healthUrl, string? logPath = null) : IAsyncDisposable
{
    private const int SigStop = 19;
    private const int SigCont = 18;
    private const int SigTerm = 15;

    private readonly object _logGate = new();
    private Process? _process;

    /// <summary>The silo's build output, same configuration as the running tests.</summary>
    public static string SiloDirectory
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            return Path.Combine(RepoRoot.Path, "Silo", "bin", configuration, "net10.0");
        }
    }

    /// <summary>Starts the process and waits until /health answers 200.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet", "Mail.Silo.dll")
        {
            WorkingDirectory = SiloDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        // As infra/run.sh does: the silo refuses to start without its master key.
        if (environment.TryGetValue("MAIL_DATA_DIR", out var dataDir)) TestKeys.EnsureMasterKey(dataDir);
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the silo.");
        _process.OutputDataReceived += (_, line) => Log(line.Data);
        _process.ErrorDataReceived += (_, line) => Log(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The silo exited with {_process.ExitCode} during start.");
            try
            {
                if ((await http.GetAsync(healthUrl)).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("The silo did not become healthy within 90 s.");
    }

    /// <summary>Keeps the silo's output in <c>logPath</c> when one was given, for a failing test to show.</summary>
    private void Log(string? line)
    {
        if (logPath is null || line is null) return;
        lock (_logGate) File.AppendAllText(logPath, line + Environment.NewLine);
    }

    /// <summary>Freezes the process (SIGSTOP): it holds its sockets and activations but answers nothing, as a silo in a long GC pause or on a stalled VM.</summary>
    public void Pause() => Signal(SigStop);

    /// <summary>Lets a paused process run on (SIGCONT), unaware of what the cluster decided meanwhile.</summary>
    public void Resume() => Signal(SigCont);

    private void Signal(int signal)
    {
        var process = _process ?? throw new InvalidOperationException("The silo is not running.");
        if (SendSignal(process.Id, signal) != 0) throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}.");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>Whether the process ends on its own (a silo that learns it was declared dead stops itself) within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        var process = _process ?? throw new InvalidOperationException("The silo is not running.");
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Stops the process as an operator would (SIGTERM: the silo leaves the cluster cleanly), killing it after <paramref name="timeout"/>.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process is null) return;
        Signal(SigTerm);
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await KillAsync();
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash or power loss would end it.</summary>
    public async Task KillAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await KillAsync();
}
