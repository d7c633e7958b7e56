using System.Diagnostics;
using Mail.Grains.Interfaces.Reputation;
using Mail.Grains.Reputation;
using Mail.Grains.Reputation.Options;
using Microsoft.Extensions.Options;

namespace Mail.Grains.Tests.Reputation;

/// <summary>Warm-up schedules, message rates, the provider table, pool rules, reply rules and the start-up check of the settings.</summary>
public sealed class ReputationSettingsTests
{
    [Fact]
    public void TheDefaultScheduleStartsAtTwentyAnHourGrowsAboutFortyPercentADayAndEndsAfterSixWeeks()
    {
        var schedule = new WarmupSchedule(WarmupSchedule.SpecOf(new WarmupOptions()));

        Assert.Equal((20, 240), schedule.CapsOn(1));
        Assert.Equal(28, schedule.CapsOn(2)!.Value.PerHour);
        Assert.Equal(Math.Round(20 * Math.Pow(1.4, 40)), schedule.CapsOn(41)!.Value.PerHour);
        Assert.Null(schedule.CapsOn(42));
    }

    [Fact]
    public void ATableScheduleIsFollowedDayByDayAndWarmedAfterItsLastStep()
    {
        var schedule = new WarmupSchedule(new WarmupScheduleSpec(1, 1, 1, 1, [new WarmupStep(5, 50), new WarmupStep(10, 100)]));

        Assert.Equal((5, 50), schedule.CapsOn(1));
        Assert.Equal((10, 100), schedule.CapsOn(2));
        Assert.Null(schedule.CapsOn(3));
        Assert.Equal(3, WarmupSchedule.DayOf(new DateTimeOffset(2026, 1, 1, 23, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 3, 0, 30, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("100/h", 100, 3600)]
    [InlineData("5/s", 5, 1)]
    [InlineData(" 1.5 / m ", 1.5, 60)]
    [InlineData("2400/d", 2400, 86400)]
    public void RatesParse(string text, double count, int seconds)
    {
        Assert.True(MessageRate.TryParse(text, out var rate));
        Assert.Equal((count, TimeSpan.FromSeconds(seconds)), (rate.Count, rate.Per));
    }

    [Theory]
    [InlineData("100")]
    [InlineData("0/h")]
    [InlineData("-1/h")]
    [InlineData("10/week")]
    [InlineData("x/h")]
    public void MalformedRatesAreRefused(string text) => Assert.False(MessageRate.TryParse(text, out _));

    [Theory]
    [InlineData("gmail-smtp-in.l.google.com", "example.org", "gmail")]
    [InlineData("example-org.mail.protection.outlook.com", "example.org", "microsoft")]
    [InlineData("mta5.am0.yahoodns.net", "yahoo.com", "yahoo")]
    [InlineData("mx.example.org", "gmail.com", "gmail")]
    [InlineData("mx.example.org", "example.org", "other")]
    [InlineData("notgoogle.com", "example.org", "other")]
    public void ProvidersAreToldByMxHostSuffixThenRecipientDomain(string mx, string domain, string provider) =>
        Assert.Equal(provider, new ReputationPolicy(Options.Create(new ReputationOptions())).Providers.Classify([mx], domain));

    [Fact]
    public void PoolRulesAreCheckedInOrderThenTheDefaultPool()
    {
        var rules = new PoolRules(
        [
            new PoolRuleOptions { SendingDomain = "vip.test", Pool = "vip" },
            new PoolRuleOptions { Tenant = "acme", Class = "marketing", Pool = "acme-bulk" },
            new PoolRuleOptions { Class = "marketing", Pool = "shared-bulk" },
        ], "shared");

        Assert.Equal("vip", rules.PoolFor("VIP.test", "acme", "marketing"));
        Assert.Equal("acme-bulk", rules.PoolFor("acme.test", "acme", "marketing"));
        Assert.Equal("shared-bulk", rules.PoolFor("other.test", "other", "marketing"));
        Assert.Equal("shared", rules.PoolFor("acme.test", "acme", null));
        Assert.Null(new PoolRules([], null).PoolFor("a.test", "a", "marketing"));
    }

    [Fact]
    public void ReplyRulesMatchInLinearTimeOnHostileReplies()
    {
        var rules = new ReplyRules([new AutomationRuleOptions { Name = "r", Pattern = "(a+)+b", Action = "suspend" }]);
        var hostile = "421 " + new string('a', 50_000);

        var watch = Stopwatch.StartNew();
        Assert.Empty(rules.Matching("other", hostile));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.Single(rules.Matching("other", "421 aaab"));
    }

    [Fact]
    public void SettingsThatContradictThemselvesAreRefusedSayingWhichIsWrong()
    {
        var options = new ReputationOptions { DefaultPool = "missing" };
        options.Pools["a"] = new IpPoolOptions { Ips = ["127.0.0.2"] };
        options.Pools["B"] = new IpPoolOptions { WarmIps = ["127.0.0.2", "not-an-ip"] };
        options.Rules.Add(new PoolRuleOptions { Class = "bulk", Pool = "a" });
        options.Providers["gmail"] = new ProviderOptions { MessageRate = "fast" };
        options.Automation.Add(new AutomationRuleOptions { Name = "t", Pattern = "(", Action = "throttle" });

        var result = new ReputationOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var text = string.Join("\n", result.Failures!);
        foreach (var expected in new[] { "DefaultPool", "Pools:B: a pool name", "127.0.0.2 is in pools a and B", "'not-an-ip'", "Class must be",
                     "MessageRate 'fast'", "a throttle needs a Rate", "Pattern does not compile" })
        {
            Assert.Contains(expected, text);
        }
        Assert.False(new ReputationOptionsValidator().Validate(null, new ReputationOptions()).Failed);
    }
}
