using System.Globalization;
using System.Net;

namespace Mail.Integration.Tests.Outbound;

/// <summary>With a smarthost configured, every remote recipient goes there, over verified TLS, with AUTH.</summary>
public sealed class SmarthostTests(SmarthostTests.RelayHostFixture host) : IClassFixture<SmarthostTests.RelayHostFixture>
{
    /// <summary>A host relaying through a receiver on 127.0.0.40 that requires AUTH PLAIN.</summary>
    public sealed class RelayHostFixture : MailHostFixture
    {
        /// <summary>The DNS server that names the relay.</summary>
        public TestDnsServer Dns { get; } = new();

        /// <summary>The CA whose certificate the relay presents.</summary>
        public TestCertificates Ca { get; } = new("Relay Test CA");

        /// <summary>The smarthost.</summary>
        public TestSmtpReceiver Relay { get; private set; } = null!;

        private readonly int _relayPort = FreePort.Next();

        /// <inheritdoc />
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Mail:Outbound:DnsServers:0"] = Dns.Endpoint,
            ["Mail:Outbound:RelayHost"] = "relay.test",
            ["Mail:Outbound:RelayPort"] = _relayPort.ToString(CultureInfo.InvariantCulture),
            ["Mail:Outbound:RelayUsername"] = "relay-user",
            ["Mail:Outbound:RelayPassword"] = "relay-secret",
            ["Mail:Outbound:ExtraTrustedRootsPath"] = Ca.RootPemPath,
        };

        /// <inheritdoc />
        public override async Task InitializeAsync()
        {
            Dns.AddA("relay.test", "127.0.0.40");
            Relay = TestSmtpReceiver.Start(IPAddress.Parse("127.0.0.40"), _relayPort, new TestSmtpReceiverOptions
            {
                HostName = "relay.test",
                Certificate = Ca.Issue("relay.test"),
                AuthUser = "relay-user",
                AuthPassword = "relay-secret",
            });
            await base.InitializeAsync();
        }

        /// <inheritdoc />
        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Relay.DisposeAsync();
            Dns.Dispose();
            Ca.Dispose();
        }
    }

    [Fact]
    public async Task RemoteMailGoesToTheSmarthostOverTlsWithAuth()
    {
        var (_, client) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(client, new { to = new[] { "anyone@far-away.test", "other@elsewhere.test" }, subject = "via relay", text = "x" });

        var first = await host.Relay.WaitForMessageAsync(TimeSpan.FromSeconds(30));
        Assert.True(first.Tls);
        Assert.Equal("relay-user", first.AuthenticatedUser);
        await OutboundProbe.WaitForStateAsync(client, "anyone@far-away.test", "delivered");
        await OutboundProbe.WaitForStateAsync(client, "other@elsewhere.test", "delivered");
        Assert.Equal(0, host.Dns.Queries("far-away.test", "MX"));
    }
}
