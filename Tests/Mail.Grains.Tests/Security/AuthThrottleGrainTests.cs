using Mail.Grains.Interfaces.Security;
using Mail.Grains.Tests.Infrastructure;

namespace Mail.Grains.Tests.Security;

/// <summary>
/// The throttle grain with the default thresholds (10 failures of a user from an address, 100 from an address) and
/// the cluster fixture's short lockout of that pair (3 s), attacked directly.
/// </summary>
[Collection(MailClusterCollection.Name)]
public sealed class AuthThrottleGrainTests(MailClusterFixture fixture)
{
    [Fact]
    public async Task TenthFailureLocksThatUserFromThatAddressOnly()
    {
        var address = Fresh();
        var throttle = fixture.Grains.GetGrain<IAuthThrottleGrain>(address);

        for (var i = 1; i < 10; i++) Assert.Equal(new AuthThrottleState(false, i), await throttle.RecordFailureAsync("victim@x.test"));
        Assert.True((await throttle.RecordFailureAsync("victim@x.test")).Locked);

        Assert.True((await throttle.CheckAsync("victim@x.test")).Locked);
        Assert.False((await throttle.CheckAsync("other@x.test")).Locked);
        Assert.False((await fixture.Grains.GetGrain<IAuthThrottleGrain>(Fresh()).CheckAsync("victim@x.test")).Locked);
    }

    [Fact]
    public async Task LockoutEndsAfterItsTime()
    {
        var throttle = fixture.Grains.GetGrain<IAuthThrottleGrain>(Fresh());
        for (var i = 0; i < 10; i++) await throttle.RecordFailureAsync("victim@x.test");
        Assert.True((await throttle.CheckAsync("victim@x.test")).Locked);

        await Task.Delay(MailClusterFixture.AccountLockout + TimeSpan.FromMilliseconds(500));

        Assert.Equal(new AuthThrottleState(false, 0), await throttle.CheckAsync("victim@x.test"));
    }

    [Fact]
    public async Task HundredFailuresRefuseTheAddressForEveryUser()
    {
        var throttle = fixture.Grains.GetGrain<IAuthThrottleGrain>(Fresh());

        // A spray: never the same user twice, so no per-user lockout ever starts.
        for (var i = 0; i < 99; i++) Assert.False((await throttle.RecordFailureAsync($"user{i}@x.test")).Locked);
        Assert.True((await throttle.RecordFailureAsync("user99@x.test")).Locked);

        Assert.True((await throttle.CheckAsync("never-tried@x.test")).Locked);
    }

    [Fact]
    public async Task SuccessForgetsTheUsersFailuresButNotTheAddresses()
    {
        var throttle = fixture.Grains.GetGrain<IAuthThrottleGrain>(Fresh());
        for (var i = 0; i < 9; i++) await throttle.RecordFailureAsync("owner@x.test");

        // The attacker logs in to an account of its own between guesses: that account's count goes, the address's stays.
        await throttle.RecordSuccessAsync("owner@x.test");
        Assert.Equal(new AuthThrottleState(false, 0), await throttle.CheckAsync("owner@x.test"));
        for (var i = 0; i < 90; i++) await throttle.RecordFailureAsync($"user{i}@x.test");
        await throttle.RecordSuccessAsync("owner@x.test");

        Assert.True((await throttle.RecordFailureAsync("last@x.test")).Locked);
    }

    [Fact]
    public void IPv6ClientsAreCountedByTheir64Network()
    {
        Assert.Equal(ThrottleKey.Of(System.Net.IPAddress.Parse("2001:db8:1:2:aaaa::1")), ThrottleKey.Of(System.Net.IPAddress.Parse("2001:db8:1:2:bbbb::2")));
        Assert.NotEqual(ThrottleKey.Of(System.Net.IPAddress.Parse("2001:db8:1:2::1")), ThrottleKey.Of(System.Net.IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal("192.0.2.7", ThrottleKey.Of(System.Net.IPAddress.Parse("::ffff:192.0.2.7")));
    }

    private static string Fresh() => $"198.51.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}-{Guid.NewGuid():N}";
}
