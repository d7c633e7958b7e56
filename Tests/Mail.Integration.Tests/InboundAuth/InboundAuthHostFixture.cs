using System.Security.Cryptography;

namespace Mail.Integration.Tests.InboundAuth;

/// <summary>
/// The whole host with its MX checking senders against a DNS server the tests fill; the host names itself
/// <see cref="HostName"/> in Authentication-Results. Sender domains use 127.0.0.7 as their authorized address.
/// </summary>
public class InboundAuthHostFixture : MailHostFixture
{
    /// <summary>The MX's host name, its authserv-id.</summary>
    public const string HostName = "mx.inbound.test";

    /// <summary>The address sender domains authorize in SPF.</summary>
    public const string GoodClient = "127.0.0.7";

    /// <summary>An address no sender domain authorizes.</summary>
    public const string BadClient = "127.0.0.8";

    /// <summary>The name clients greet with; its SPF record authorizes <see cref="GoodClient"/>.</summary>
    public const string Helo = "client.sender.test";

    /// <summary>The DNS server the host resolves through.</summary>
    public TestDnsServer Dns { get; } = new();

    /// <summary>The RSA key the tests sign with; its record is published for any selector and domain by <see cref="PublishKey"/>.</summary>
    public RSA Key { get; } = RSA.Create(2048);

    /// <summary>The private key as PKCS#1 PEM, the form dkimpy reads.</summary>
    public string KeyPem => Key.ExportRSAPrivateKeyPem();

    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Smtp:InboundAuth:DnsServers:0"] = Dns.Endpoint,
        ["Mail:Smtp:HostName"] = HostName,
        ["Mail:Smtp:InboundAuth:DnsTimeoutSeconds"] = "2",
        // The tests publish and withdraw records between messages: a cached NXDOMAIN would hide what a test just added.
        ["Mail:Smtp:InboundAuth:NegativeCacheSeconds"] = "0",
    };

    /// <summary>Publishes the DKIM key record at selector._domainkey.domain (RFC 6376 §3.6.1).</summary>
    public void PublishKey(string selector, string domain)
    {
        // A TXT string holds 255 octets at most; a 2048-bit key needs two (RFC 6376 §3.6.2.2 joins them).
        var record = "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(Key.ExportSubjectPublicKeyInfo());
        Dns.AddTxt($"{selector}._domainkey.{domain}", record.Chunk(250).Select(c => new string(c)).ToArray());
    }

    /// <inheritdoc />
    public override async Task InitializeAsync()
    {
        Dns.AddA(Helo, GoodClient).AddTxt(Helo, "v=spf1 a -all");
        await base.InitializeAsync();
    }

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Dns.Dispose();
        Key.Dispose();
    }
}
