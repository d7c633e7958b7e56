using System.Security.Cryptography;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.Cryptography;

namespace Mail.Integration.Tests.Outbound;

/// <summary>
/// ARC sealing on the relay path, end to end: a message that already went through an ARC-sealing mailing list is
/// re-sent by its author through submission (MailKit) to a remote address; what the remote MX receives carries our ARC
/// set (i=2, cv=pass), which MimeKit's ArcVerifier and python3-dkim's arc_verify accept.
/// </summary>
public sealed class ArcRelayTests(OutboundHostFixture host) : IClassFixture<OutboundHostFixture>
{
    private const string List = "list.test";
    private static readonly RSA ListKey = RSA.Create(2048);

    [Fact]
    public async Task ResentMessageWithAnArcChainLeavesWithOurSealOnTop()
    {
        var receiver = host.AddDomain("remote-arc.test", "127.0.0.31");
        var listRecord = "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(ListKey.ExportSubjectPublicKeyInfo());
        host.Dns.AddTxt($"s1._domainkey.{List}", listRecord.Chunk(250).Select(c => new string(c)).ToArray());
        var (sender, _) = await ApiUsers.CreateAsync(host);
        var viaList = await PythonDkim.ArcSignAsync(ListCopy(sender), "s1", List, ListKey.ExportRSAPrivateKeyPem(), "mx.list.test");

        using (var client = new SmtpClient())
        {
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
            await client.ConnectAsync("127.0.0.1", host.SubmissionPort, SecureSocketOptions.StartTls);
            await client.AuthenticateAsync(sender, "test-password");
            await client.SendAsync(await MimeMessage.LoadAsync(new MemoryStream(viaList)), MailboxAddress.Parse(sender), [MailboxAddress.Parse("dan@remote-arc.test")]);
            await client.DisconnectAsync(true);
        }

        var received = (await receiver.WaitForMessageAsync(TimeSpan.FromSeconds(30))).Data;
        var message = await MimeMessage.LoadAsync(new MemoryStream(received));
        Assert.Equal(HeaderId.ArcSeal, message.Headers[0].Id);
        var seal = message.Headers[0].Value.Replace(" ", "", StringComparison.Ordinal);
        Assert.Contains("i=2;", seal);
        Assert.Contains("cv=pass;", seal);
        Assert.Contains("d=example.test;", seal);
        var ours = message.Headers.First(h => h.Id == HeaderId.ArcAuthenticationResults).Value;
        Assert.Contains($"{OutboundHostFixture.Hostname};", ours);
        Assert.Contains("arc=pass", ours);

        var records = await OutboundProbe.DkimRecordsAsync(host, "example.test");
        records[$"s1._domainkey.{List}"] = listRecord;
        var chain = await new ArcVerifier(new RecordKeyLocator(records)).VerifyAsync(message);
        Assert.Equal(ArcSignatureValidationResult.Pass, chain.Chain);
        Assert.Equal("pass", (await PythonDkim.ArcVerifyAsync(received, records)).Cv);
        Assert.Equal(new[] { true }, await PythonDkim.VerifyAsync(received, records));
    }

    /// <summary>The author's own message as the list delivered it back: the list's results field, then its ARC set.</summary>
    private static byte[] ListCopy(string author) => Encoding.ASCII.GetBytes(string.Join("\r\n",
        $"Authentication-Results: mx.list.test; dkim=none; spf=pass smtp.mailfrom={author}",
        $"From: <{author}>",
        $"To: <members@{List}>",
        "Subject: [members] minutes",
        "Date: Sat, 29 Nov 2026 10:00:00 +0000",
        $"Message-ID: <minutes-{Guid.NewGuid():N}@example.test>",
        $"List-Id: <members.{List}>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "The minutes of the meeting.",
        ""));
}
