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
