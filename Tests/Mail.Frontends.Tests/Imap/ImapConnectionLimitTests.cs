namespace Mail.Frontends.Tests.Imap;

/// <summary>A host that admits two IMAP sessions per client address.</summary>
public sealed class ImapLimitsHostFixture : MailHostFixture
{
    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Mail:Imap:MaxConnectionsPerIp"] = "2" };
}

/// <summary>Connections per client address are bounded.</summary>
public sealed class ImapConnectionLimitTests(ImapLimitsHostFixture host) : IClassFixture<ImapLimitsHostFixture>
{
    [Fact]
    public async Task ConnectionBeyondThePerAddressLimitGetsByeAsGreeting()
    {
        await using var probe = new GreetingProbe();
        var refused = await probe.GreetingBeyondLimitAsync(host.ImapPort, 2, "* OK");
        Assert.Equal("* BYE [UNAVAILABLE] Too many connections from your address", refused);
        probe.Close();
        await using var again = new GreetingProbe();
        Assert.StartsWith("* OK", await again.WelcomedAsync(host.ImapPort, "* OK"));
    }
}
