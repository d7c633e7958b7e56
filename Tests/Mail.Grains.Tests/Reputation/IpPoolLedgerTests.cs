using Mail.Grains.Interfaces.Reputation;
using Mail.Grains.Reputation;
using Mail.Grains.Reputation.Options;
using Microsoft.Extensions.Options;

namespace Mail.Grains.Tests.Reputation;

/// <summary>The pool bookkeeping: warm-up caps per provider and hour, spill within the pool, rates, automation overrides, idle re-warming.</summary>
public sealed class IpPoolLedgerTests
{
    private static readonly DateTimeOffset Midnight = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Noon = Midnight.AddHours(12);

    private static ReputationPolicy Policy(Action<ReputationOptions>? change = null)
    {
        var options = new ReputationOptions { Warmup = new WarmupOptions { StartPerHour = 3, DailyGrowth = 2, DailyCapHours = 2 } };
        options.Pools["p"] = new IpPoolOptions { Ips = ["127.0.0.2"], WarmIps = ["127.0.0.3"] };
        options.Automation.Add(new AutomationRuleOptions { Name = "slow", Pattern = "slow down", Threshold = 2, Action = "throttle", Rate = "60/h", Duration = TimeSpan.FromMinutes(30) });
        options.Automation.Add(new AutomationRuleOptions { Name = "stop", Pattern = @"\[TSS04\]", Provider = "yahoo", Action = "suspend", Duration = TimeSpan.FromMinutes(10) });
        change?.Invoke(options);
        return new ReputationPolicy(Options.Create(options));
    }

    private static IpPoolLedger Ledger(ReputationPolicy policy, params (string Ip, DateTimeOffset? WarmupStartedAt)[] ips)
    {
        var ledger = new IpPoolLedger("p", policy);
        foreach (var (ip, started) in ips) ledger.Ips[ip] = new PooledIp(ip) { WarmupStartedAt = started };
        return ledger;
    }

    private static IpPoolLedger Warming(ReputationPolicy? policy = null) => Ledger(policy ?? Policy(), ("127.0.0.2", Midnight));

    [Fact]
    public void AWarmingIpIsGrantedItsHourlyCapPerProviderAndTheRestWaitsForTheNextHour()
    {
        var ledger = Warming();

        var grants = ledger.Reserve([new SlotRequest("gmail", 2), new SlotRequest("gmail", 2), new SlotRequest("yahoo", 3)], Noon.AddMinutes(10)).Grants;

        Assert.Equal([2, 1, 3], grants.Select(g => g.Shares.Sum(s => s.Messages)));
        Assert.Null(grants[0].RetryAt);
        Assert.Equal(Noon.AddHours(1), grants[1].RetryAt);
        Assert.Contains("hourly cap", grants[1].HoldReason);
        var next = ledger.Reserve([new SlotRequest("gmail", 5)], Noon.AddHours(1)).Grants[0];
        Assert.Equal(3, next.Shares.Single().Messages);
    }

    [Fact]
    public void TheDailyCapHoldsAcrossHoursUntilMidnight()
    {
        var ledger = Warming();
        for (var hour = 0; hour < 2; hour++) Assert.Equal(3, ledger.Reserve([new SlotRequest("gmail", 3)], Noon.AddHours(hour)).Grants[0].Shares.Single().Messages);

        var third = ledger.Reserve([new SlotRequest("gmail", 1)], Noon.AddHours(2)).Grants[0];

        Assert.Empty(third.Shares);
        Assert.Equal(Midnight.AddDays(1), third.RetryAt);
        Assert.Contains("daily cap", third.HoldReason);
    }

    [Fact]
    public void TheCapGrowsWithTheWarmupDayAndAWarmedIpHasNone()
    {
        var ledger = Ledger(Policy(), ("127.0.0.2", Midnight.AddDays(-2)), ("127.0.0.3", null));

        Assert.Equal(3 * 4, ledger.CapsOf(ledger.Ips["127.0.0.2"], Noon)!.Value.PerHour);
        Assert.Null(ledger.CapsOf(ledger.Ips["127.0.0.3"], Noon));
        Assert.Equal(3, ledger.View(ledger.Ips["127.0.0.2"], Noon).WarmupDay);
    }

    [Fact]
    public void WarmingIpsAreFilledFirstAndTheRestSpillsToAWarmIpOfThePool()
    {
        var ledger = Ledger(Policy(), ("127.0.0.2", Midnight), ("127.0.0.3", null));

        var grant = ledger.Reserve([new SlotRequest("gmail", 5)], Noon).Grants[0];

        Assert.Equal([("127.0.0.2", 3), ("127.0.0.3", 2)], grant.Shares.Select(s => (s.Ip, s.Messages)));
        Assert.Null(grant.RetryAt);
    }

    [Fact]
    public void PausedAndUnavailableIpsGetNothingAndAPoolWithoutUsableIpsHoldsItsMail()
    {
        var ledger = Ledger(Policy(), ("127.0.0.2", null), ("127.0.0.3", null));
        ledger.Ips["127.0.0.2"].Paused = true;
        Assert.Equal("127.0.0.3", ledger.Reserve([new SlotRequest("gmail", 1)], Noon).Grants[0].Shares.Single().Ip);

        ledger.Ips["127.0.0.3"].Unavailable = "cannot bind";
        var held = ledger.Reserve([new SlotRequest("gmail", 1)], Noon).Grants[0];

        Assert.Empty(held.Shares);
        Assert.Contains("paused or unavailable", held.HoldReason);
        Assert.Equal("paused", ledger.View(ledger.Ips["127.0.0.2"], Noon).State);
        Assert.Equal("unavailable", ledger.View(ledger.Ips["127.0.0.3"], Noon).State);
    }

    [Fact]
    public void AProviderRateLimitsAnIpAndSpacesTheMessagesItHolds()
    {
        var ledger = Ledger(Policy(o => o.Providers["gmail"] = new ProviderOptions { MessageRate = "60/m", MessageBurst = 2 }), ("127.0.0.3", null));

        var grant = ledger.Reserve([new SlotRequest("gmail", 5)], Noon).Grants[0];

        Assert.Equal(2, grant.Shares.Single().Messages);
        Assert.Equal(TimeSpan.FromSeconds(1), grant.Spacing);
        Assert.Equal(Noon.AddSeconds(1), grant.RetryAt);
        Assert.Equal(1, ledger.Reserve([new SlotRequest("gmail", 5)], Noon.AddSeconds(1)).Grants[0].Shares.Single().Messages);
        Assert.Equal(5, ledger.Reserve([new SlotRequest("yahoo", 5)], Noon).Grants[0].Shares.Single().Messages);
    }

    [Fact]
    public void AThrottleRuleFiresAtItsThresholdAndHoldsTheIpToItsRateUntilItExpires()
    {
        var ledger = Ledger(Policy(), ("127.0.0.3", null));
        ReplyMatch Match(DateTimeOffset at) => new("slow", "127.0.0.3", "gmail", "t", "421 4.7.28 slow down", at);

        Assert.Empty(ledger.Match([Match(Noon)], Noon));
        var fired = Assert.Single(ledger.Match([Match(Noon.AddMinutes(1))], Noon.AddMinutes(1)));

        Assert.Equal(("throttle", Noon.AddMinutes(31)), (fired.Override.Kind, fired.Override.Until));
        Assert.Equal(1, ledger.Reserve([new SlotRequest("gmail", 5)], Noon.AddMinutes(2)).Grants[0].Shares.Single().Messages);
        var held = ledger.Reserve([new SlotRequest("gmail", 1)], Noon.AddMinutes(2)).Grants[0];
        Assert.Equal(Noon.AddMinutes(3), held.RetryAt);
        Assert.Equal("throttled", ledger.View(ledger.Ips["127.0.0.3"], Noon.AddMinutes(2)).State);
        Assert.Equal(5, ledger.Reserve([new SlotRequest("gmail", 5)], Noon.AddMinutes(32)).Grants[0].Shares.Single().Messages);
        Assert.Equal("active", ledger.View(ledger.Ips["127.0.0.3"], Noon.AddMinutes(32)).State);
    }

    [Fact]
    public void MatchesOutsideTheWindowDoNotAddUp()
    {
        var ledger = Ledger(Policy(), ("127.0.0.3", null));

        ledger.Match([new ReplyMatch("slow", "127.0.0.3", "gmail", null, "slow down", Noon)], Noon);

        Assert.Empty(ledger.Match([new ReplyMatch("slow", "127.0.0.3", "gmail", null, "slow down", Noon.AddMinutes(61))], Noon.AddMinutes(61)));
    }

    [Fact]
    public void ASuspendRuleStopsOnlyThatProviderOnThatIpUntilItExpires()
    {
        var ledger = Ledger(Policy(), ("127.0.0.3", null));

        var fired = Assert.Single(ledger.Match([new ReplyMatch("stop", "127.0.0.3", "yahoo", null, "421 4.7.0 [TSS04] deferred", Noon)], Noon));

        var yahoo = ledger.Reserve([new SlotRequest("yahoo", 1)], Noon.AddMinutes(1)).Grants[0];
        Assert.Empty(yahoo.Shares);
        Assert.Equal(fired.Override.Until, yahoo.RetryAt);
        Assert.Contains("rule stop", yahoo.HoldReason);
        Assert.Single(ledger.Reserve([new SlotRequest("gmail", 1)], Noon.AddMinutes(1)).Grants[0].Shares);
        Assert.Single(ledger.Reserve([new SlotRequest("yahoo", 1)], Noon.AddMinutes(11)).Grants[0].Shares);
    }

    [Fact]
    public void ReturnedSlotsAreGrantedAgainInTheSameHour()
    {
        var ledger = Warming();
        ledger.Reserve([new SlotRequest("gmail", 3)], Noon);

        var change = Assert.Single(ledger.Return([new SlotReturn("127.0.0.2", "gmail", 2)], Noon.AddMinutes(1)));

        Assert.Equal(-2, change.Messages);
        Assert.Equal(2, ledger.Reserve([new SlotRequest("gmail", 3)], Noon.AddMinutes(2)).Grants[0].Shares.Single().Messages);
    }

    [Fact]
    public void AnIpIdleForThirtyDaysWarmsUpAgainFromDayOne()
    {
        var ledger = Ledger(Policy(), ("127.0.0.3", null));
        ledger.Ips["127.0.0.3"].LastUsedAt = Noon.AddDays(-31);

        var result = ledger.Reserve([new SlotRequest("gmail", 5)], Noon);

        Assert.Same(ledger.Ips["127.0.0.3"], Assert.Single(result.Changed));
        Assert.Equal(3, result.Grants[0].Shares.Single().Messages);
        Assert.Equal(1, ledger.View(ledger.Ips["127.0.0.3"], Noon).WarmupDay);
        Assert.Empty(ledger.Reserve([new SlotRequest("gmail", 1)], Noon.AddMinutes(1)).Changed);
    }
}
