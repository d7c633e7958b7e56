using System.Text;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Mail.Integration.Tests.Lifecycle;

/// <summary>Mail in and out of a lifecycle host with standard clients: MailKit over the MX and IMAP.</summary>
public static class LifecycleMail
{
    /// <summary>Sends messages to <paramref name="recipients"/> over the MX, all on one connection; returns their sizes as sent.</summary>
    public static async Task<long[]> SendAsync(MailHostFixture host, string[] recipients, int count, int bodyBytes, string subject)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", host.SmtpPort, SecureSocketOptions.None);
        var sizes = new long[count];
        for (var i = 0; i < count; i++)
        {
            var message = Message(recipients, $"{subject} {i}", bodyBytes, i);
            await smtp.SendAsync(message);
            using var measured = new MemoryStream();
            await message.WriteToAsync(measured);
            sizes[i] = measured.Length;
        }
        await smtp.DisconnectAsync(true);
        return sizes;
    }

    /// <summary>A message with a body of about <paramref name="bodyBytes"/> random (incompressible) characters.</summary>
    public static MimeMessage Message(string[] recipients, string subject, int bodyBytes, int seed)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("sender@remote.example"));
        foreach (var to in recipients) message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        var random = new Random(seed);
        var text = new StringBuilder(bodyBytes + bodyBytes / 76 * 2);
        for (var i = 0; i < bodyBytes; i++)
        {
            text.Append((char)('a' + random.Next(26)));
            if (i % 76 == 75) text.Append("\r\n");
        }
        message.Body = new TextPart("plain") { Text = text.ToString() };
        return message;
    }

    /// <summary>An IMAP session over STARTTLS, logged in.</summary>
    public static async Task<ImapClient> ImapAsync(MailHostFixture host, string address)
    {
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", host.ImapPort, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(address, "test-password");
        return client;
    }
}
