using Mail.Grains.Outbound;
using Mail.Grains.Outbound.Dns;

namespace Mail.Grains.Tests.Outbound;

/// <summary>A DNS server, a CA and an MTA-STS policy server on loopback, and the options that point the MTA at them.</summary>
internal sealed class MtaStsWorld : IAsyncDisposable
{
    private MtaStsWorld(TestCertificates ca, TestMtaStsServer policies)
    {
        Ca = ca;
        Policies = policies;
        Options = new OutboundOptions
        {
            DnsServers = [Dns.Endpoint],
            DnsTimeoutSeconds = 2,
            MtaStsPort = policies.Port,
            ExtraTrustedRootsPath = Ca.RootPemPath,
        };
        MailDns = new MailDns(Options);
    }

    public TestDnsServer Dns { get; } = new();

    public TestCertificates Ca { get; }

    public TestMtaStsServer Policies { get; }

    public OutboundOptions Options { get; }

    public MailDns MailDns { get; }

    public static async Task<MtaStsWorld> StartAsync()
    {
        var ca = new TestCertificates();
        return new MtaStsWorld(ca, await TestMtaStsServer.StartAsync(ca));
    }

    /// <summary>Publishes "_mta-sts" TXT with <paramref name="id"/> and points mta-sts.&lt;domain&gt; at loopback.</summary>
    public void Publish(string domain, string id)
    {
        Dns.Remove("_mta-sts." + domain).AddTxt("_mta-sts." + domain, $"v=STSv1; id={id}");
        Dns.Remove("mta-sts." + domain).AddA("mta-sts." + domain, "127.0.0.1");
    }

    public MtaStsResolver Resolver(TimeProvider? time = null, int capacity = MtaStsResolver.DefaultCapacity) =>
        new(MailDns, Options, time, capacity: capacity, fetchTimeout: TimeSpan.FromSeconds(5));

    public async ValueTask DisposeAsync()
    {
        await Policies.DisposeAsync();
        Dns.Dispose();
        Ca.Dispose();
    }
}
