namespace Mail.Frontends.Tests.Pop3;

/// <summary>Connections per client address are bounded.</summary>
[Collection(Pop3LimitsHostCollection.Name)]
public sealed class Pop3ConnectionLimitTests(Pop3LimitsHostFixture host)
{
    [Fact]
    public async Task ConnectionBeyondThePerAddressLimitIsRefusedWithSysTemp()
    {
        await using var probe = new GreetingProbe();
        var refused = await probe.GreetingBeyondLimitAsync(host.Pop3Port, 3, "+OK");
        Assert.Equal("-ERR [SYS/TEMP] too many connections from your address", refused);
        probe.Close();
        await using var again = new GreetingProbe();
        Assert.StartsWith("+OK", await again.WelcomedAsync(host.Pop3Port, "+OK"));
    }
}
