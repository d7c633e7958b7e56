using System.Text;
using Mail.Frontends.Tests.Smtp;

namespace Mail.Frontends.Tests.Imap;

/// <summary>Users, deliveries and logged-in raw sessions for the IMAP tests.</summary>
public static class ImapTestMail
{
    /// <summary>The password <see cref="ApiUsers.CreateAsync"/> gives new users.</summary>
    public const string Password = "test-password";

    /// <summary>A fresh user; the HTTP client is returned for API checks.</summary>
    public static Task<(string Address, HttpClient Client)> NewUserAsync(MailHostFixture host) => ApiUsers.CreateAsync(host);

    /// <summary>Delivers a message over SMTP (MX port) and waits for the 250.</summary>
    public static async Task DeliverAsync(MailHostFixture host, string to, string subject, string body = "Hello there.\r\n", string? raw = null)
    {
        var message = raw ?? $"From: Sender <sender@remote.example>\r\nTo: <{to}>\r\nSubject: {subject}\r\nDate: Mon, 03 Feb 2025 10:00:00 +0000\r\nMessage-ID: <{Guid.NewGuid():N}@remote.example>\r\n\r\n{body}";
        var refused = await new RawSmtpClient("127.0.0.1", host.SmtpPort).SendAsync("sender@remote.example", to, Encoding.UTF8.GetBytes(message), CancellationToken.None);
        Assert.Null(refused);
    }

    /// <summary>Connects to the implicit-TLS port and checks the greeting.</summary>
    public static async Task<SmtpTranscript> OpenTlsAsync(MailHostFixture host)
    {
        var imap = await SmtpTranscript.ConnectAsync(host.ImapTlsPort, implicitTls: true);
        await imap.ExpectLineStartsWithAsync("* OK [CAPABILITY IMAP4rev1 IMAP4rev2 ");
        return imap;
    }

    /// <summary>Connects over TLS and logs in as <paramref name="address"/>.</summary>
    public static async Task<SmtpTranscript> LoginAsync(MailHostFixture host, string address)
    {
        var imap = await OpenTlsAsync(host);
        await imap.CommandAsync($"L1 LOGIN {address} {Password}");
        await imap.ExpectLineStartsWithAsync("L1 OK [CAPABILITY IMAP4rev1 IMAP4rev2 ");
        return imap;
    }
}
