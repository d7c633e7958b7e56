using Mail.Frontends.Hosting;
using Mail.Frontends.Http;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Outbound;
using Mail.Silo.Configuration;
using Microsoft.Extensions.Options;

namespace Mail.Silo;

/// <summary>
/// Once the silo is up, creates the demo domain example.test with alice and bob and its DKIM key when Mail:Demo
/// is on (MAIL_DEMO=1, set by infra/run.sh), then marks the host ready. Idempotent: a second start finds them and changes nothing.
/// </summary>
public sealed class DemoSeeder(
    IGrainFactory grains,
    IOptions<MailHostOptions> options,
    ReadinessState readiness,
    IHostApplicationLifetime lifetime,
    ILogger<DemoSeeder> logger) : BackgroundService
{
    /// <summary>The demo domain.</summary>
    public const string Domain = "example.test";

    /// <summary>The demo users' password.</summary>
    public const string Password = "demo-password";

    /// <summary>The demo users.</summary>
    public static readonly string[] Users = ["alice@example.test", "bob@example.test"];

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await WaitForStartAsync(stoppingToken)) return;
        if (options.Value.Demo)
        {
            var tenant = grains.GetGrain<ITenantGrain>(Domain);
            await Ignore(MailErrorCode.AlreadyExists, () => tenant.AddDomainAsync(Domain));
            await grains.GetGrain<ISendingDomainGrain>(Domain).EnsureKeysAsync();
            foreach (var user in Users)
            {
                await Ignore(MailErrorCode.AlreadyExists, () => tenant.CreateAccountAsync(new NewAccount(user, Password, null)));
            }
            logger.LogInformation("Demo tenant {Domain}: users {Users}, password {Password}", Domain, string.Join(", ", Users), Password);
        }
        readiness.MarkReady(ReadinessState.Seed);
    }

    private async Task<bool> WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled());
        try
        {
            await started.Task;
            return true;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task Ignore(MailErrorCode code, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (MailException e) when (e.Code == code)
        {
        }
    }
}
