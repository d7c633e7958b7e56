using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mail.Grains.Hosting;

/// <summary>
/// A background loop that the host runs until it stops: an unexpected failure is logged and the loop starts again
/// after <see cref="RestartDelay"/>, so one bad moment (a lost database connection, say) never ends the work for the
/// life of the process. Does nothing when not <see cref="Enabled"/>.
/// </summary>
public abstract class RestartingService(string name) : BackgroundService
{
    /// <summary>The pause before the loop starts again after a failure.</summary>
    public static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(5);

    /// <summary>Where failures are logged.</summary>
    protected abstract ILogger Logger { get; }

    /// <summary>Whether this silo runs the loop at all.</summary>
    protected abstract bool Enabled { get; }

    /// <summary>The loop; returns or throws <see cref="OperationCanceledException"/> when <paramref name="ct"/> is cancelled.</summary>
    protected abstract Task RunAsync(CancellationToken ct);

    /// <inheritdoc />
    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                Logger.LogError(e, "{Service} failed; starting again in {Delay} s", name, RestartDelay.TotalSeconds);
                await Task.Delay(RestartDelay, stoppingToken);
            }
        }
    }
}
