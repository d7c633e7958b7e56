using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Mail.Frontends.Tests.Smtp;

/// <summary>A standard client (MailKit) that pipelines because PIPELINING is offered.</summary>
[Collection(SmtpHostCollection.Name)]
public sealed class SmtpMailKitTests(SmtpHostFixture host)
{
    [Fact]
    public async Task MailKitPipelinesThreeMessagesOnOneConnectionAndAllAreDelivered()
    {
        var (address, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;
        var writes = new WriteLog();

        using (var client = new SmtpClient(writes))
        {
            await client.ConnectAsync("127.0.0.1", host.SmtpPort, SecureSocketOptions.None);
            Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Pipelining));
            for (var i = 1; i <= 3; i++)
            {
                var message = new MimeMessage();
                message.From.Add(MailboxAddress.Parse("sender@remote.example"));
                message.To.Add(MailboxAddress.Parse(address));
                message.Cc.Add(MailboxAddress.Parse("nobody-" + i + "@elsewhere.example"));
                message.Subject = $"pipelined {i}";
                message.Body = new TextPart("plain") { Text = $".line {i} starts with a dot\n\u00e9t\u00e9 {i}\n" };
                var sent = await client.SendAsync(message, MailboxAddress.Parse("sender@remote.example"), [MailboxAddress.Parse(address)]);
                Assert.StartsWith("2.0.0 Ok: queued as ", sent);
            }
            await client.DisconnectAsync(true);
        }

        Assert.Equal(3, writes.Client.Count(w => w.Contains("MAIL FROM:", StringComparison.Ordinal) && w.Contains("RCPT TO:", StringComparison.Ordinal)));
        var subjects = (await ApiUsers.ListAsync(user)).Select(i => i.GetProperty("subject").GetString()!).Order().ToArray();
        Assert.Equal(["pipelined 1", "pipelined 2", "pipelined 3"], subjects);
    }

    /// <summary>
    /// Submission with the HTTP API's access token: MailKit's OAUTHBEARER (RFC 7628) sends, and a forged token fails with
    /// the §3.2.2 error challenge MailKit answers, then 535.
    /// </summary>
    [Fact]
    public async Task MailKitSubmitsWithAnApiAccessTokenOverOAuthBearer()
    {
        var (address, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;
        var token = user.DefaultRequestHeaders.Authorization!.Parameter!;
        using (var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true })
        {
            await client.ConnectAsync("127.0.0.1", host.SubmissionPort, SecureSocketOptions.StartTls);
            Assert.Contains("OAUTHBEARER", client.AuthenticationMechanisms);
            await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(new SaslMechanismOAuthBearer(address, token[..^2] + "xx")));
            await client.AuthenticateAsync(new SaslMechanismOAuthBearer(address, token));
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse(address));
            message.To.Add(MailboxAddress.Parse(address));
            message.Subject = "sent with a token";
            message.Body = new TextPart("plain") { Text = "hello" };
            await client.SendAsync(message);
            await client.DisconnectAsync(true);
        }
        for (var i = 0; i < 50 && (await ApiUsers.ListAsync(user)).Length == 0; i++) await Task.Delay(100);
        Assert.Equal("sent with a token", Assert.Single(await ApiUsers.ListAsync(user)).GetProperty("subject").GetString());
    }

    /// <summary>Keeps each client write whole, so a pipelined batch shows as one entry.</summary>
    private sealed class WriteLog : IProtocolLogger
    {
        public List<string> Client { get; } = [];

        public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

        public void LogConnect(Uri uri)
        {
        }

        public void LogClient(byte[] buffer, int offset, int count) => Client.Add(Encoding.UTF8.GetString(buffer, offset, count));

        public void LogServer(byte[] buffer, int offset, int count)
        {
        }

        public void Dispose()
        {
        }
    }
}
