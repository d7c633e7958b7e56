using System.Security.Cryptography;
using System.Text;
using Mail.Grains.Interfaces.Outbound;
using Mail.Grains.Outbound.Dkim;
using Mail.Grains.Tests.Accounts;
using Mail.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MimeKit.Cryptography;

namespace Mail.Grains.Tests.Reputation;

/// <summary>
/// ARC sealing of relayed mail (RFC 8617): a received message sent on again gets an ARC set over the stored bytes, which
/// MimeKit's ArcVerifier and python3-dkim's arc_verify both accept; mail written here gets none.
/// </summary>
[Collection(MailClusterCollection.Name)]
public sealed class ArcSealingTests(MailClusterFixture fixture)
{
    private static readonly RSA OriginKey = RSA.Create(2048);

    [Fact]
    public async Task RedirectedMessageCarriesAnArcSetThatBothVerifiersAccept()
    {
        var (tenant, origin) = await PrepareAsync();
        var received = await PythonDkim.SignAsync(ReceivedMessage(origin, tenant.Domain), "s1", origin, OriginKey.ExportRSAPrivateKeyPem());

        var fields = await Signer().SignAsync(tenant.Domain, new MemoryStream(received), CancellationToken.None);

        Assert.NotNull(fields);
        var names = fields.Split("\r\n").Where(l => l.Length > 0 && !char.IsWhiteSpace(l[0])).Select(l => l[..l.IndexOf(':')]).ToArray();
        Assert.Equal(["ARC-Seal", "ARC-Message-Signature", "ARC-Authentication-Results", "DKIM-Signature"], names);
        var aar = Unfold(fields, "ARC-Authentication-Results");
        Assert.StartsWith($"i=1; {MailClusterFixture.OutboundHostname};", aar);
        Assert.Contains($"dkim=pass header.d={origin} header.s=s1", aar);
        Assert.Contains("arc=none", aar);
        Assert.Contains("cv=none", Unfold(fields, "ARC-Seal"));
        Assert.Contains($"d={tenant.Domain}", Unfold(fields, "ARC-Seal"));

        var relayed = Encoding.ASCII.GetBytes(fields).Concat(received).ToArray();
        var records = await RecordsAsync(tenant.Domain, origin);
        Assert.Equal(ArcSignatureValidationResult.Pass, await MimeKitArcAsync(relayed, records));
        Assert.Equal("pass", (await PythonDkim.ArcVerifyAsync(relayed, records)).Cv);

        // A relay further on that changes the body breaks our message signature, and the chain with it.
        var altered = relayed[..^8].Concat("altered\r\n"u8.ToArray()).ToArray();
        Assert.Equal(ArcSignatureValidationResult.Fail, await MimeKitArcAsync(altered, records));
        Assert.Equal("fail", (await PythonDkim.ArcVerifyAsync(altered, records)).Cv);
    }

    [Fact]
    public async Task MessageWithAnArcChainGetsTheNextInstanceWithItsValidation()
    {
        var (tenant, origin) = await PrepareAsync();
        var sealedOnce = await PythonDkim.ArcSignAsync(ReceivedMessage(origin, tenant.Domain), "s1", origin, OriginKey.ExportRSAPrivateKeyPem(), "mx.origin.test");

        var fields = await Signer().SignAsync(tenant.Domain, new MemoryStream(sealedOnce), CancellationToken.None);

        Assert.NotNull(fields);
        var seal = Unfold(fields, "ARC-Seal").Replace(" ", "", StringComparison.Ordinal);
        Assert.Contains("i=2;", seal);
        Assert.Contains("cv=pass;", seal);
        Assert.Contains("arc=pass", Unfold(fields, "ARC-Authentication-Results"));
        var relayed = Encoding.ASCII.GetBytes(fields).Concat(sealedOnce).ToArray();
        var records = await RecordsAsync(tenant.Domain, origin);
        Assert.Equal(ArcSignatureValidationResult.Pass, await MimeKitArcAsync(relayed, records));
        Assert.Equal("pass", (await PythonDkim.ArcVerifyAsync(relayed, records)).Cv);
    }

    [Fact]
    public async Task MailWrittenHereIsSignedButNotSealed()
    {
        var (tenant, _) = await PrepareAsync();
        var written = Encoding.ASCII.GetBytes($"From: <a@{tenant.Domain}>\r\nTo: <b@remote.example>\r\nSubject: new\r\nDate: Sat, 29 Nov 2026 10:00:00 +0000\r\n\r\nHello.\r\n");

        var fields = await Signer().SignAsync(tenant.Domain, new MemoryStream(written), CancellationToken.None);

        Assert.StartsWith("DKIM-Signature:", fields);
        Assert.DoesNotContain("ARC-", fields);
    }

    [Fact]
    public void SealerIsRegisteredInTheSiloWithTheOutboundHostName() =>
        Assert.Equal(MailClusterFixture.OutboundHostname, fixture.SiloServices.GetRequiredService<ArcSealer>().AuthServId);

    // A new signer per test (the silo's caches keys for a minute), sealing with the silo's sealer over the test DNS server.
    private OutboundSigner Signer() => new(fixture.Grains, fixture.SiloServices.GetRequiredService<ArcSealer>());

    private async Task<(TestTenant Tenant, string Origin)> PrepareAsync()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await fixture.Grains.GetGrain<ISendingDomainGrain>(tenant.Domain).EnsureKeysAsync();
        var origin = "origin-" + Guid.NewGuid().ToString("N")[..8] + ".test";
        fixture.Dns.AddTxt($"s1._domainkey.{origin}", OriginRecord().Chunk(250).Select(c => new string(c)).ToArray());
        return (tenant, origin);
    }

    private static string OriginRecord() => "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(OriginKey.ExportSubjectPublicKeyInfo());

    private async Task<Dictionary<string, string>> TenantRecordsAsync(string domain) =>
        (await fixture.Grains.GetGrain<ISendingDomainGrain>(domain).GetDnsRecordsAsync())
        .Where(r => r.Purpose == DnsRecordPurposes.Dkim).ToDictionary(r => r.Name, r => r.Value);

    private async Task<Dictionary<string, string>> RecordsAsync(string domain, string origin)
    {
        var records = await TenantRecordsAsync(domain);
        records[$"s1._domainkey.{origin}"] = OriginRecord();
        return records;
    }

    private static async Task<ArcSignatureValidationResult> MimeKitArcAsync(byte[] message, IReadOnlyDictionary<string, string> records)
    {
        var mime = await MimeMessage.LoadAsync(new MemoryStream(message));
        return (await new ArcVerifier(new RecordKeyLocator(records)).VerifyAsync(mime)).Chain;
    }

    private static string Unfold(string fields, string name)
    {
        var start = fields.IndexOf(name + ":", StringComparison.Ordinal) + name.Length + 1;
        var end = start;
        while ((end = fields.IndexOf("\r\n", end, StringComparison.Ordinal)) >= 0 && end + 2 < fields.Length && fields[end + 2] is ' ' or '\t') end += 2;
        return fields[start..end].Replace("\r\n", "", StringComparison.Ordinal).Trim();
    }

    /// <summary>A message as our MX stored it (results field on top), which its recipient now redirects to a remote address.</summary>
    private static byte[] ReceivedMessage(string origin, string ourDomain) => Encoding.ASCII.GetBytes(string.Join("\r\n",
        $"Authentication-Results: mx.origin.test; spf=pass smtp.mailfrom=news@{origin}",
        $"From: News <news@{origin}>",
        $"To: user@{ourDomain}",
        "Subject: weekly news",
        "Date: Sat, 29 Nov 2026 10:00:00 +0000",
        $"Message-ID: <n1@{origin}>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "The news of the week.",
        ""));
}
