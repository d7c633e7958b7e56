using System.Net.Http.Json;
using System.Text.Json;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Mail.Integration.Tests.Filters;

/// <summary>What the thread, label and Sieve tests share: delivery over the SMTP MX with MailKit, scripts over the API, IMAP logins.</summary>
public static class FilterMail
{
    /// <summary>A message from <paramref name="from"/> to <paramref name="to"/> with a fresh Message-ID.</summary>
    public static MimeMessage Message(string from, string to, string subject, string text = "hello", string? messageId = null)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = messageId ?? MimeKit.Utils.MimeUtils.GenerateMessageId("remote.example");
        message.Date = DateTimeOffset.UtcNow;
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    /// <summary>Delivers over the MX (no AUTH), like a remote MTA; <paramref name="envelopeFrom"/> is MAIL FROM, the rcpts are RCPT TO.</summary>
    public static async Task DeliverAsync(MailHostFixture host, MimeMessage message, string? envelopeFrom = null, params string[] recipients)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", host.SmtpPort, SecureSocketOptions.None);
        try
        {
            var sender = MailboxAddress.Parse(envelopeFrom ?? message.From.Mailboxes.First().Address);
            var rcpts = (recipients.Length > 0 ? recipients : message.To.Mailboxes.Select(m => m.Address)).Select(MailboxAddress.Parse);
            await client.SendAsync(message, sender, rcpts);
        }
        finally
        {
            await client.DisconnectAsync(quit: true);
        }
    }

    /// <summary>Submits as <paramref name="user"/> (STARTTLS, AUTH): how a hosted address sends, since the MX refuses unauthenticated mail claiming a hosted domain.</summary>
    public static async Task SubmitAsync(MailHostFixture host, MimeMessage message, string user)
    {
        using var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", host.SubmissionPort, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(user, "test-password");
        await client.SendAsync(message);
        await client.DisconnectAsync(true);
    }

    /// <summary>Stores a script over the API and makes it active; fails the test if it is refused.</summary>
    public static async Task ActivateAsync(HttpClient user, string script, string name = "filters")
    {
        var response = await user.PutAsJsonAsync($"/v1/sieve/scripts/{name}", new { content = script, active = true });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"PUT script answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The listing items of a folder (empty when the folder does not exist).</summary>
    public static async Task<JsonElement[]> ItemsAsync(HttpClient user, string folder = "INBOX")
    {
        var response = await user.GetAsync($"/v1/emails?folder={Uri.EscapeDataString(folder)}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return [];
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("items").EnumerateArray().ToArray();
    }

    /// <summary>The subjects in a folder.</summary>
    public static async Task<string[]> SubjectsAsync(HttpClient user, string folder = "INBOX") =>
        (await ItemsAsync(user, folder)).Select(i => i.GetProperty("subject").GetString()!).ToArray();

    /// <summary>An IMAP session (STARTTLS) of a test user.</summary>
    public static async Task<ImapClient> ImapAsync(MailHostFixture host, string address)
    {
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", host.ImapPort, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(address, "test-password");
        return client;
    }
}
