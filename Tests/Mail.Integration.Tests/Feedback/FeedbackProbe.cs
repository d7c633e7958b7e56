using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MailKit.Net.Smtp;
using MimeKit;

namespace Mail.Integration.Tests.Feedback;

/// <summary>What the feedback tests do through the public surfaces: tenants, webhooks, reports sent to the MX.</summary>
public static class FeedbackProbe
{
    /// <summary>A user of a tenant of its own (domain <paramref name="name"/>.test, tenant <paramref name="name"/>), logged in.</summary>
    public static async Task<(string Address, HttpClient Client)> TenantUserAsync(MailHostFixture host, string name)
    {
        await ApiUsers.EnsureDomainAsync(host, $"{name}.test", name);
        return await ApiUsers.CreateAsync(host, $"{name}.test");
    }

    /// <summary>Registers a webhook at <paramref name="url"/> for <paramref name="events"/>; returns its id and secret.</summary>
    public static async Task<(long Id, string Secret)> RegisterWebhookAsync(HttpClient client, string url, params string[] events)
    {
        var response = await client.PostAsJsonAsync("/v1/webhooks", new { url, events });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetInt64(), body.GetProperty("secret").GetString()!);
    }

    /// <summary>Asserts the request carries a valid signature of its timestamp and body under <paramref name="secret"/>; returns the body.</summary>
    public static JsonElement VerifiedBody(WebhookRequest request, string secret)
    {
        var timestamp = request.Header("X-Mail-Timestamp");
        Assert.NotNull(timestamp);
        Assert.InRange(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(),
            DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
        var signed = Encoding.UTF8.GetBytes(timestamp + ".").Concat(request.Body).ToArray();
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
        Assert.Equal(expected, request.Header("X-Mail-Signature"));
        return JsonDocument.Parse(request.Body).RootElement;
    }

    /// <summary>The event name of a webhook request's body.</summary>
    public static string EventOf(WebhookRequest request) => JsonDocument.Parse(request.Body).RootElement.GetProperty("event").GetString()!;

    /// <summary>The recipient in a webhook request's data.</summary>
    public static string? RecipientOf(WebhookRequest request) =>
        JsonDocument.Parse(request.Body).RootElement.GetProperty("data").TryGetProperty("recipient", out var r) ? r.GetString() : null;

    /// <summary>
    /// An ARF complaint report (RFC 5965) about <paramref name="original"/>: Feedback-Type abuse, the original's envelope
    /// sender and recipient, and (unless <paramref name="withSourceIp"/> is false, as some providers redact it) the address it came from.
    /// </summary>
    public static MimeMessage ComplaintReport(ReceivedMessage original, string recipient, string reporterFrom = "fbl@provider.test", bool withSourceIp = true)
    {
        var text = new StringBuilder()
            .Append($"From: <{reporterFrom}>\r\nTo: <{FeedbackHostFixture.FeedbackAddress}>\r\nSubject: FW: complaint\r\n")
            .Append($"Date: {DateTimeOffset.UtcNow:r}\r\nMessage-ID: <{Guid.NewGuid():N}@provider.test>\r\n")
            .Append("MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=feedback-report; boundary=\"arf\"\r\n\r\n")
            .Append("--arf\r\nContent-Type: text/plain\r\n\r\nThis is an email abuse report for a message received from the IP below.\r\n")
            .Append("--arf\r\nContent-Type: message/feedback-report\r\n\r\n")
            .Append("Feedback-Type: abuse\r\nUser-Agent: ProviderFBL/2.1\r\nVersion: 1\r\n")
            .Append($"Original-Mail-From: <{original.MailFrom}>\r\nOriginal-Rcpt-To: <{recipient}>\r\n")
            .Append($"Arrival-Date: {DateTimeOffset.UtcNow:r}\r\nReporting-MTA: dns; mx.provider.test\r\n")
            .Append(withSourceIp ? $"Source-IP: {original.ClientAddress}\r\n\r\n" : "\r\n")
            .Append("--arf\r\nContent-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n")
            .Append(Encoding.UTF8.GetString(original.Data).TrimEnd('\r', '\n')).Append("\r\n--arf--\r\n");
        return MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>A DSN from a later hop saying <paramref name="recipient"/> failed with <paramref name="status"/>.</summary>
    public static MimeMessage Bounce(string verpAddress, string recipient, string status = "5.1.1") =>
        MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(
            $"From: MAILER-DAEMON@mx.later.test\r\nTo: {verpAddress}\r\nSubject: Undelivered Mail\r\n" +
            "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n" +
            "--b\r\nContent-Type: text/plain\r\n\r\nThe mailbox is gone.\r\n" +
            "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; inner.later.test\r\n\r\n" +
            $"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: {status}\r\n" +
            $"Remote-MTA: dns; inner.later.test\r\nDiagnostic-Code: smtp; 550 {status} mailbox disabled\r\n\r\n--b--\r\n")));

    /// <summary>Sends <paramref name="message"/> to the host's MX from <paramref name="from"/> (empty: the null sender) to <paramref name="to"/>.</summary>
    public static async Task SendToMxAsync(MailHostFixture host, MimeMessage message, string from, string to)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", host.SmtpPort, MailKit.Security.SecureSocketOptions.None);
        await smtp.SendAsync(message, new MailboxAddress("", from), [MailboxAddress.Parse(to)]);
        await smtp.DisconnectAsync(true);
    }
}
