using System.Globalization;
using System.Net;

namespace Mail.Integration.Tests.Outbound;

/// <summary>
/// The whole host with its outbound MTA pointed at a world the tests make: a DNS server, a test CA, an
/// MTA-STS policy server, and SMTP receivers on loopback addresses 127.0.0.x sharing one port (the
/// host's <c>RemotePort</c>). Each test uses its own recipient domain and receiver address.
/// </summary>
public class OutboundHostFixture : MailHostFixture
{
    private readonly List<TestSmtpReceiver> _receivers = [];

    /// <summary>The DNS server the host resolves through.</summary>
    public TestDnsServer Dns { get; } = new();

    /// <summary>The CA the host trusts for MTA-STS and whose certificates the receivers present.</summary>
    public TestCertificates Ca { get; } = new("Outbound Test CA");

    /// <summary>Serves MTA-STS policies on 127.0.0.1.</summary>
    public TestMtaStsServer MtaSts { get; private set; } = null!;

    /// <summary>The port every receiver listens on (the remote MX port the host uses).</summary>
    public int RemotePort { get; } = FreePort.Next();

    /// <summary>The name the host says EHLO with and reports in DSNs.</summary>
    public const string Hostname = "mx.mail.test";

    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Outbound:DnsServers:0"] = Dns.Endpoint,
        ["Mail:Outbound:RemotePort"] = RemotePort.ToString(CultureInfo.InvariantCulture),
        ["Mail:Outbound:Hostname"] = Hostname,
        ["Mail:Outbound:ExtraTrustedRootsPath"] = Ca.RootPemPath,
        ["Mail:Outbound:MtaStsPort"] = MtaSts.Port.ToString(CultureInfo.InvariantCulture),
        ["Mail:Outbound:MinimalBackoffSeconds"] = "60",
        ["Mail:Outbound:MaximalBackoffSeconds"] = "120",
        ["Mail:Outbound:ConnectionIdleSeconds"] = "1",
        ["Mail:Outbound:ConnectTimeoutSeconds"] = "3",
        ["Mail:Outbound:DnsTimeoutSeconds"] = "2",
    };

    /// <inheritdoc />
    public override async Task InitializeAsync()
    {
        MtaSts = await TestMtaStsServer.StartAsync(Ca);
        await base.InitializeAsync();
    }

    /// <summary>
    /// Publishes <paramref name="domain"/> with one MX host <c>mx.&lt;domain&gt;</c> at <paramref name="address"/> and
    /// starts a receiver there presenting a certificate for that name (STARTTLS) unless <paramref name="tls"/> is false.
    /// </summary>
    public TestSmtpReceiver AddDomain(string domain, string address, bool tls = true, long? size = null, bool chunking = false)
    {
        var mx = "mx." + domain;
        Dns.AddMx(domain, 10, mx).AddA(mx, address);
        return StartReceiver(address, mx, tls, size, chunking);
    }

    /// <summary>Starts a receiver on <paramref name="address"/> (port <see cref="RemotePort"/>).</summary>
    public TestSmtpReceiver StartReceiver(string address, string hostName, bool tls = true, long? size = null, bool chunking = false,
        string? authUser = null, string? authPassword = null)
    {
        var receiver = TestSmtpReceiver.Start(IPAddress.Parse(address), RemotePort, new TestSmtpReceiverOptions
        {
            HostName = hostName,
            Certificate = tls ? Ca.Issue(hostName) : null,
            Size = size,
            Chunking = chunking,
            AuthUser = authUser,
            AuthPassword = authPassword,
        });
        lock (_receivers) _receivers.Add(receiver);
        return receiver;
    }

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var receiver in _receivers) await receiver.DisposeAsync();
        await MtaSts.DisposeAsync();
        Dns.Dispose();
        Ca.Dispose();
    }
}
