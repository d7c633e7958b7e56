using System.Net;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Mail.Frontends.Tests.Security;

/// <summary>
/// One login over a fresh connection with MailKit, from a chosen loopback source address (all of 127.0.0.0/8 answers
/// on Linux), answering whether it succeeded and the server's last line, so the exact failure reply can be checked.
/// </summary>
public static class MailLogins
{
    /// <summary>The loopback address tests attack from, unless they pick another.</summary>
    public static readonly IPAddress Attacker = IPAddress.Loopback;

    /// <summary>SMTP AUTH PLAIN on the submission port after STARTTLS.</summary>
    public static Task<(bool Ok, string Reply)> SmtpAsync(MailHostFixture host, string user, string password, IPAddress? from = null) =>
        RunAsync(new SmtpClient(new ServerLog()), host.SubmissionPort, user, password, from);

    /// <summary>IMAP AUTHENTICATE PLAIN after STARTTLS.</summary>
    public static Task<(bool Ok, string Reply)> ImapAsync(MailHostFixture host, string user, string password, IPAddress? from = null) =>
        RunAsync(new ImapClient(new ServerLog()), host.ImapPort, user, password, from);

    /// <summary>POP3 AUTH PLAIN after STLS.</summary>
    public static Task<(bool Ok, string Reply)> Pop3Async(MailHostFixture host, string user, string password, IPAddress? from = null) =>
        RunAsync(new Pop3Client(new ServerLog()), host.Pop3Port, user, password, from);

    /// <summary>An IMAP client connected under TLS from <paramref name="from"/>, not yet logged in.</summary>
    public static async Task<ImapClient> ConnectImapAsync(MailHostFixture host, IPAddress from)
    {
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true, LocalEndPoint = new IPEndPoint(from, 0) };
        await client.ConnectAsync("127.0.0.1", host.ImapPort, SecureSocketOptions.StartTls);
        return client;
    }

    private static async Task<(bool Ok, string Reply)> RunAsync(MailService client, int port, string user, string password, IPAddress? from)
    {
        using (client)
        {
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
            client.LocalEndPoint = new IPEndPoint(from ?? Attacker, 0);
            await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.StartTls);
            bool ok;
            try
            {
                // One SASL PLAIN exchange only: given a NetworkCredential, MailKit's POP3 client falls back to USER/PASS
                // after a failure, which would make one attempt count twice.
                await client.AuthenticateAsync(new SaslMechanismPlain(user, password));
                ok = true;
            }
            catch (AuthenticationException)
            {
                ok = false;
            }
            var reply = ((ServerLog)client.ProtocolLogger).Last;
            await client.DisconnectAsync(true);
            return (ok, reply);
        }
    }

    /// <summary>Keeps the server's last line.</summary>
    private sealed class ServerLog : IProtocolLogger
    {
        public string Last { get; private set; } = "";

        public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

        public void LogConnect(Uri uri)
        {
        }

        public void LogClient(byte[] buffer, int offset, int count)
        {
        }

        public void LogServer(byte[] buffer, int offset, int count)
        {
            var lines = Encoding.UTF8.GetString(buffer, offset, count).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length > 0) Last = lines[^1];
        }

        public void Dispose()
        {
        }
    }
}
