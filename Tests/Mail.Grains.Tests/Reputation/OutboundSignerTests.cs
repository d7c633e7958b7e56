using System.Text;
using Mail.Grains.Interfaces.Outbound;
using Mail.Grains.Outbound;
using Mail.Grains.Outbound.Dkim;
using Mail.Grains.Tests.Accounts;
using Mail.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;

namespace Mail.Grains.Tests.Reputation;

/// <summary>DKIM signatures of stored messages, checked by python3-dkim and by MimeKit over the stored bytes with the fields prepended.</summary>
[Collection(MailClusterCollection.Name)]
public sealed class OutboundSignerTests(MailClusterFixture fixture)
{
    [Fact]
    public async Task RsaSignatureOverTheStoredBytesVerifiesIndependently()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        await fixture.Grains.GetGrain<ISendingDomainGrain>(tenant.Domain).EnsureKeysAsync();
        var stored = StoredMessage(tenant.Domain);

        var fields = await Signer().SignAsync(tenant.Domain, new MemoryStream(stored), CancellationToken.None);

        Assert.NotNull(fields);
        Assert.StartsWith("DKIM-Signature:", fields);
        Assert.EndsWith("\r\n", fields);
        Assert.DoesNotContain(fields.Split("\r\n")[..^1], line => line.Length > 998);
        var tags = Tags(fields);
        Assert.Equal(("1", "rsa-sha256", "relaxed/relaxed", tenant.Domain), (tags["v"], tags["a"], tags["c"], tags["d"]));
        Assert.Equal(["from", "to", "cc", "subject", "date", "message-id", "mime-version", "content-type", "list-unsubscribe", "list-unsubscribe-post"],
            tags["h"].ToLowerInvariant().Split(':'));
        var signed = Encoding.ASCII.GetBytes(fields).Concat(stored).ToArray();
        var records = await KeyRecordsAsync(tenant.Domain);
        Assert.Equal(new[] { true }, await PythonDkim.VerifyAsync(signed, records));
        Assert.Equal(new[] { true }, await MimeKitVerifyAsync(signed, records));

        var tampered = Encoding.ASCII.GetBytes(fields).Concat(stored[..^8]).Concat("tamper\r\n"u8.ToArray()).ToArray();
        Assert.Equal(new[] { false }, await PythonDkim.VerifyAsync(tampered, records));
    }

    [Fact]
    public async Task Ed25519SignatureIsAddedWhenEnabled()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var options = fixture.SiloServices.GetRequiredService<IOptions<OutboundOptions>>().Value;
        options.Ed25519 = true;
        try
        {
            await fixture.Grains.GetGrain<ISendingDomainGrain>(tenant.Domain).EnsureKeysAsync();
            var records = await fixture.Grains.GetGrain<ISendingDomainGrain>(tenant.Domain).GetDnsRecordsAsync();
            var ed = Assert.Single(records, r => r.Value.StartsWith("v=DKIM1; k=ed25519; p=", StringComparison.Ordinal));
            Assert.Equal(32, Convert.FromBase64String(ed.Value["v=DKIM1; k=ed25519; p=".Length..]).Length);
            var stored = StoredMessage(tenant.Domain);

            var fields = await Signer().SignAsync(tenant.Domain, new MemoryStream(stored), CancellationToken.None);

            Assert.Equal(2, fields!.Split("DKIM-Signature:").Length - 1);
            Assert.Contains("a=ed25519-sha256", fields);
            Assert.Contains("a=rsa-sha256", fields);
            var signed = Encoding.ASCII.GetBytes(fields).Concat(stored).ToArray();
            var keyRecords = await KeyRecordsAsync(tenant.Domain);
            Assert.Equal(new[] { true, true }, await PythonDkim.VerifyAsync(signed, keyRecords));
            Assert.Equal(new[] { true, true }, await MimeKitVerifyAsync(signed, keyRecords));
        }
        finally
        {
            options.Ed25519 = false;
        }
    }

    [Fact]
    public async Task DomainWithoutKeysIsNotSigned()
    {
        Assert.Null(await Signer().SignAsync(TestTenant.FreshDomain(), new MemoryStream(StoredMessage("x.test")), CancellationToken.None));
    }

    [Fact]
    public void SignerIsRegisteredInTheSilo() => Assert.NotNull(fixture.SiloServices.GetService<OutboundSigner>());

    // A new signer per test: the silo's caches keys for a minute, and these tests change them.
    private OutboundSigner Signer() => new(fixture.Grains);

    private async Task<Dictionary<string, string>> KeyRecordsAsync(string domain) =>
        (await fixture.Grains.GetGrain<ISendingDomainGrain>(domain).GetDnsRecordsAsync())
        .Where(r => r.Purpose == DnsRecordPurposes.Dkim).ToDictionary(r => r.Name, r => r.Value);

    private static async Task<bool[]> MimeKitVerifyAsync(byte[] signed, IReadOnlyDictionary<string, string> records)
    {
        var message = await MimeMessage.LoadAsync(new MemoryStream(signed));
        var verifier = new DkimVerifier(new RecordKeyLocator(records));
        verifier.Enable(DkimSignatureAlgorithm.Ed25519Sha256);
        var results = new List<bool>();
        foreach (var header in message.Headers.Where(h => h.Id == HeaderId.DkimSignature))
        {
            results.Add(await verifier.VerifyAsync(message, header));
        }
        return [.. results];
    }

    private static Dictionary<string, string> Tags(string fields) =>
        fields.Split("DKIM-Signature:")[1].Replace("\r\n", "", StringComparison.Ordinal).Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.Split('=', 2)).ToDictionary(t => t[0].Trim(), t => string.Concat(t[1].Where(c => !char.IsWhiteSpace(c))));

    /// <summary>
    /// A message as the submission frontend stores it (CRLF, as received), with what trips naive
    /// signers: a folded Subject, odd spacing, trailing blanks, 8-bit text, multipart with a base64 part.
    /// </summary>
    private static byte[] StoredMessage(string domain) => Encoding.UTF8.GetBytes(string.Join("\r\n",
        "Received: from client by mx.mail.test; Sat, 29 Nov 2026 10:00:00 +0000",
        $"From: Alice <alice@{domain}>",
        "To: bob@remote.example,",
        "  carol@remote.example",
        "Cc:   dave@remote.example  ",
        "Subject: a long subject that the client folded",
        "\tonto a second line",
        "Date: Sat, 29 Nov 2026 10:00:00 +0000",
        $"Message-ID: <m1@{domain}>",
        "List-Unsubscribe: <https://example.test/u/1>",
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
        "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=\"b1\"",
        "",
        "preamble",
        "--b1",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
        "",
        "Grüße,   with  spaces   ",
        "and a trailing blank line",
        "",
        "--b1",
        "Content-Type: application/octet-stream",
        "Content-Transfer-Encoding: base64",
        "",
        "aGVsbG8gd29ybGQ=",
        "--b1--",
        "",
        ""));
}
