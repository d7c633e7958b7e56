using Mail.Grains.Hosting;
using Mail.Integration.Tests.Outbound;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Mail.Integration.Tests.Reputation;

/// <summary>
/// The outbound host with IP pools of loopback source addresses (127.0.0.2 and up), fake providers (MX hosts under
/// gmail.test, outlook.test and yahoo.test), a warm-up of 3 messages an hour per provider that does not grow, an
/// automation rule for Yahoo's TSS04 deferral, low tenant thresholds, and a clock the tests move across hours.
/// Each test sends from its own sending domain, which the rules map to its own pool.
/// </summary>
public sealed class ReputationHostFixture : OutboundHostFixture
{
    /// <summary>The warm-up cap per hour and provider of a warming IP.</summary>
    public const int HourlyCap = 3;

    /// <summary>How long the TSS04 rule suspends an IP × yahoo.</summary>
    public static readonly TimeSpan SuspendFor = TimeSpan.FromMinutes(10);

    /// <summary>The feedback loop address complaint reports are sent to.</summary>
    public const string FeedbackAddress = "fbl@example.test";

    /// <summary>
    /// The host's clock: real time plus an offset the tests move forward. It starts just after the next UTC midnight,
    /// so the hours the tests move it stay within one warm-up day whatever the hour the suite runs at.
    /// </summary>
    public OffsetClock Clock { get; } = StartOfNextDay();

    private static OffsetClock StartOfNextDay()
    {
        var clock = new OffsetClock();
        clock.AdvanceTo(new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date.AddDays(1).AddSeconds(30), TimeSpan.Zero));
        return clock;
    }

    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            // Tokens are issued by the wall clock and checked by the moved one (up to a day ahead, then the tests'
            // hours): let them outlive both.
            settings["Mail:Http:TokenLifetimeMinutes"] = "4320";
            // The silo's clock jumps hours: Orleans' own probe tolerance rather than the production 2 s / 2 misses.
            settings["Mail:Cluster:Membership:ProbeTimeout"] = "00:00:10";
            settings["Mail:Cluster:Membership:NumMissedProbesLimit"] = "3";
            settings["Mail:Reputation:Providers:gmail:Suffixes:0"] = "gmail.test";
            settings["Mail:Reputation:Providers:microsoft:Suffixes:0"] = "outlook.test";
            settings["Mail:Reputation:Providers:yahoo:Suffixes:0"] = "yahoo.test";
            settings["Mail:Reputation:Warmup:StartPerHour"] = HourlyCap.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Mail:Reputation:Warmup:DailyGrowth"] = "1";
            settings["Mail:Reputation:Warmup:DailyCapHours"] = "24";
            Pool(settings, "capped", ["127.0.0.2"], []);
            Pool(settings, "spill", ["127.0.0.3"], ["127.0.0.4"]);
            Pool(settings, "tx", [], ["127.0.0.5"]);
            Pool(settings, "mk", [], ["127.0.0.6"]);
            Pool(settings, "ops", [], ["127.0.0.7", "127.0.0.8"]);
            Pool(settings, "auto", [], ["127.0.0.9"]);
            Pool(settings, "movable", [], ["127.0.0.10"]);
            Pool(settings, "spare", ["127.0.0.11"], []);
            var rule = 0;
            foreach (var pool in new[] { "capped", "spill", "ops", "auto" })
            {
                settings[$"Mail:Reputation:Rules:{rule}:SendingDomain"] = $"{pool}.test";
                settings[$"Mail:Reputation:Rules:{rule++}:Pool"] = pool;
            }
            settings[$"Mail:Reputation:Rules:{rule}:Class"] = "marketing";
            settings[$"Mail:Reputation:Rules:{rule}:Pool"] = "mk";
            settings["Mail:Reputation:DefaultPool"] = "tx";
            settings["Mail:Reputation:Automation:0:Name"] = "yahoo-tss04";
            settings["Mail:Reputation:Automation:0:Pattern"] = @"\[TSS04\]";
            settings["Mail:Reputation:Automation:0:Provider"] = "yahoo";
            settings["Mail:Reputation:Automation:0:Threshold"] = "2";
            settings["Mail:Reputation:Automation:0:Action"] = "suspend";
            settings["Mail:Reputation:Automation:0:Duration"] = SuspendFor.ToString();
            settings["Mail:Reputation:Thresholds:MinimumMessages"] = "4";
            settings["Mail:Reputation:CounterFlushMilliseconds"] = "200";
            settings["Mail:Reputation:FeedbackAddress"] = FeedbackAddress;
            return settings;
        }
    }

    /// <inheritdoc />
    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton(new MailClock(Clock));

    /// <summary>Moves the clock to the start of the next hour (plus a second) and wakes the scheduler, so held rows come due.</summary>
    public async Task NextHourAsync()
    {
        var now = Clock.GetUtcNow();
        Clock.AdvanceTo(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 1, TimeSpan.Zero).AddHours(1));
        await WakeSchedulerAsync();
    }

    /// <summary>Moves the clock forward and wakes the scheduler.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        await WakeSchedulerAsync();
    }

    /// <summary>Publishes <paramref name="domain"/> with one MX host <paramref name="mx"/> at <paramref name="address"/> and starts a receiver there.</summary>
    public TestSmtpReceiver AddProviderDomain(string domain, string mx, string address)
    {
        Dns.AddMx(domain, 10, mx).AddA(mx, address);
        return StartReceiver(address, mx);
    }

    /// <summary>The scheduler sleeps until the next row is due by the clock; a moved clock must wake it (as a queue write does).</summary>
    private async Task WakeSchedulerAsync()
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var notify = new NpgsqlCommand("NOTIFY outbound_queue", connection);
        await notify.ExecuteNonQueryAsync();
    }

    private static void Pool(IDictionary<string, string?> settings, string name, string[] warming, string[] warm)
    {
        for (var i = 0; i < warming.Length; i++) settings[$"Mail:Reputation:Pools:{name}:Ips:{i}"] = warming[i];
        for (var i = 0; i < warm.Length; i++) settings[$"Mail:Reputation:Pools:{name}:WarmIps:{i}"] = warm[i];
    }
}
