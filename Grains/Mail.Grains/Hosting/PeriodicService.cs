using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mail.Grains.Hosting;

/// <summary>
/// A background pass that runs every <see cref="Interval"/> until the host stops (retention, collection): a failed
/// pass is logged and the next one comes at the next interval. Skipped while not <see cref="Enabled"/>.
/// </summary>
public abstract class PeriodicService(string name) : BackgroundService
{
    /// <summary>Where failures are logged.</summary>
    protected abstract ILogger Logger { get; }

    /// <summary>The clock the interval is measured on.</summary>
    protected abstract TimeProvider Clock { get; }

    /// <summary>The time between passes.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>Whether passes run now (read before each one, so a setting can change while the host runs).</summary>
    protected virtual bool Enabled => true;

    /// <summary>One pass.</summary>
    protected abstract Task PassAsync(CancellationToken ct);

    /// <inheritdoc />
    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (Enabled)
            {
                try
                {
                    await PassAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    Logger.LogError(e, "{Service} pass failed; trying again in {Interval}", name, Interval);
                }
            }
            try
            {
                await Task.Delay(Interval, Clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
