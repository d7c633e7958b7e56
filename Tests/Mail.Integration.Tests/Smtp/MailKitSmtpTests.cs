using System.Net.Http.Json;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Mail.Integration.Tests.Smtp;

/// <summary>A standard client (MailKit) submits and an MTA-like client delivers, with no special settings.</summary>
public sealed class MailKitSmtpTests(MailHostFixture host) : IClassFixture<MailHostFixture>
{
    [Fact]
    public async Task SubmissionWithStartTlsAndAuthDeliversWithAttachmentIntact()
    {
        var attachment = new byte[70_000];
        Random.Shared.NextBytes(attachment);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("alice@example.test"));
        message.To.Add(MailboxAddress.Parse("bob@example.test"));
        message.Subject = "via submission";
        var body = new BodyBuilder { TextBody = "attached" };
        body.Attachments.Add("blob.bin", attachment, new ContentType("application", "octet-stream"));
        message.Body = body.ToMessageBody();

        using (var client = new SmtpClient())
        {
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
            await client.ConnectAsync("127.0.0.1", host.SubmissionPort, SecureSocketOptions.StartTls);
            Assert.True(client.IsSecure);
            await client.AuthenticateAsync("alice@example.test", "demo-password");
            await client.SendAsync(message);
            await client.DisconnectAsync(true);
        }

        using var bob = await host.LoginAsync("bob@example.test");
        var item = (await ApiUsers.ListAsync(bob)).Single(i => i.GetProperty("subject").GetString() == "via submission");
        var id = item.GetProperty("id").GetString();
        Assert.Equal(attachment, await bob.GetByteArrayAsync($"/v1/emails/{id}/attachments/0"));
        using var alice = await host.LoginAsync("alice@example.test");
        Assert.Contains(await ApiUsers.ListAsync(alice, "Sent"), i => i.GetProperty("subject").GetString() == "via submission");
        var detail = await bob.GetFromJsonAsync<JsonElement>($"/v1/emails/{id}");
        var received = detail.GetProperty("headers").EnumerateArray().First(h => h.GetProperty("name").GetString() == "Received").GetProperty("value").GetString();
        Assert.Contains("ESMTPSA", received);
        Assert.Contains("TLSv1", received);
    }

    [Fact]
    public async Task ImplicitTlsSubmissionWorks()
    {
        using var client = new SmtpClient();
        client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        await client.ConnectAsync("127.0.0.1", host.SubmissionTlsPort, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync("bob@example.test", "demo-password");
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("bob@example.test"));
        message.To.Add(MailboxAddress.Parse("alice@example.test"));
        message.Subject = "implicit tls";
        message.Body = new TextPart("plain") { Text = "hi" };
        await client.SendAsync(message);
        await client.DisconnectAsync(true);
        using var alice = await host.LoginAsync("alice@example.test");
        Assert.Contains(await ApiUsers.ListAsync(alice), i => i.GetProperty("subject").GetString() == "implicit tls");
    }

    [Fact]
    public async Task MxAcceptsMailForLocalUsersWithoutAuth()
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", host.SmtpPort, SecureSocketOptions.None);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("someone@remote.example"));
        message.To.Add(MailboxAddress.Parse("bob@example.test"));
        message.Subject = "from the internet";
        message.Body = new TextPart("plain") { Text = "hello from outside" };
        await client.SendAsync(message);
        await client.DisconnectAsync(true);
        using var bob = await host.LoginAsync("bob@example.test");
        Assert.Contains(await ApiUsers.ListAsync(bob), i => i.GetProperty("subject").GetString() == "from the internet");
    }
}
