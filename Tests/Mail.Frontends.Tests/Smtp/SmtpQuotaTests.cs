using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Mail.Frontends.Tests.Smtp;

/// <summary>Over-quota mailboxes (RFC 3463 5.2.2): refused at RCPT when known to be full, at end of data when the message does not fit.</summary>
[Collection(SmtpHostCollection.Name)]
public sealed class SmtpQuotaTests(SmtpHostFixture host)
{
    private const long Quota = 4000;

    [Fact]
    public async Task FullMailboxIsRefusedWith552AtRcptAndAMessageThatDoesNotFitAtEndOfData()
    {
        var address = $"q{Guid.NewGuid():N}"[..13] + "@example.test";
        using (var admin = host.CreateAdminClient())
        {
            var created = await admin.PostAsJsonAsync("/v1/admin/accounts", new { address, password = "test-password", quota_bytes = Quota });
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        }
        using var user = await host.LoginAsync(address, "test-password");

        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await SendAsync(smtp, address, "fill", 2500);
        var used = await UsedBytesAsync(user);
        Assert.InRange(used, 2500, Quota - 1);

        await smtp.RunAsync($"""
            C: MAIL FROM:<sender@remote.example> SIZE={Quota - used + 1}
            S: 250 2.0.0 Ok
            C: RCPT TO:<{address}>
            S: 552 5.2.2 <{address}>: Recipient address rejected: mailbox full
            C: RSET
            S: 250 2.0.0 Ok
            C: MAIL FROM:<sender@remote.example>
            S: 250 2.0.0 Ok
            C: RCPT TO:<{address}>
            S: 250 2.0.0 Ok
            C: DATA
            S: 354 End data with <CR><LF>.<CR><LF>
            """);
        await smtp.SendAsync(Message("too big", (int)(Quota - used) + 100) + ".\r\n");
        await smtp.ExpectLineStartsWithAsync($"552 5.2.2 Error: <{address}>: ");
        await smtp.RunAsync("""
            C: NOOP
            S: 250 2.0.0 Ok
            """);

        using (var admin = host.CreateAdminClient())
        {
            var patched = await admin.PatchAsJsonAsync($"/v1/admin/accounts/{address}", new { quota_bytes = used });
            patched.EnsureSuccessStatusCode();
        }
        await smtp.RunAsync($"""
            C: MAIL FROM:<sender@remote.example>
            S: 250 2.0.0 Ok
            C: RCPT TO:<{address}>
            S: 552 5.2.2 <{address}>: Recipient address rejected: mailbox full
            C: RCPT TO:<alice@example.test>
            S: 250 2.0.0 Ok
            """);

        var item = Assert.Single(await ApiUsers.ListAsync(user));
        Assert.Equal("fill", item.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task SubmitterOverQuotaGets552AndTheSessionContinues()
    {
        var (sender, senderClient) = await ApiUsers.CreateAsync(host, quotaBytes: 100_000);
        var (recipient, recipientClient) = await ApiUsers.CreateAsync(host);
        using var a = senderClient;
        using var b = recipientClient;

        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SubmissionTlsPort, implicitTls: true);
        await smtp.RunAsync($"""
            C: AUTH PLAIN {Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{sender}\0test-password"))}
            S: 235 2.7.0 Authentication successful
            """);
        await smtp.RunAsync($"""
            C: MAIL FROM:<{sender}>
            C: RCPT TO:<{recipient}>
            C: DATA
            S: 250 2.0.0 Ok
            S: 250 2.0.0 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            """);
        await smtp.SendAsync($"From: {sender}\r\n" + Message("first", 500) + ".\r\n");
        await smtp.ExpectLineStartsWithAsync("250 2.0.0 Ok: queued as ");
        using (var admin = host.CreateAdminClient())
        {
            var patched = await admin.PatchAsJsonAsync($"/v1/admin/accounts/{sender}", new { quota_bytes = await UsedBytesAsync(senderClient) });
            patched.EnsureSuccessStatusCode();
        }

        await smtp.RunAsync($"""
            C: MAIL FROM:<{sender}>
            C: RCPT TO:<{recipient}>
            C: DATA
            S: 250 2.0.0 Ok
            S: 250 2.0.0 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            """);
        await smtp.SendAsync($"From: {sender}\r\n" + Message("second", 500) + ".\r\n");
        await smtp.ExpectLineStartsWithAsync("552 5.2.2 ");
        await smtp.RunAsync("""
            C: NOOP
            S: 250 2.0.0 Ok
            """);
    }

    private static async Task SendAsync(SmtpTranscript smtp, string recipient, string subject, int bodyBytes)
    {
        await smtp.RunAsync($"""
            C: MAIL FROM:<sender@remote.example>
            C: RCPT TO:<{recipient}>
            C: DATA
            S: 250 2.0.0 Ok
            S: 250 2.0.0 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            """);
        await smtp.SendAsync(Message(subject, bodyBytes) + ".\r\n");
        await smtp.ExpectLineStartsWithAsync("250 2.0.0 Ok: queued as ");
    }

    /// <summary>A message of about <paramref name="bytes"/> octets, in 78-character lines.</summary>
    private static string Message(string subject, int bytes)
    {
        var text = new StringBuilder($"Subject: {subject}\r\n\r\n");
        while (text.Length < bytes) text.Append(new string('q', 76)).Append("\r\n");
        return text.ToString();
    }

    private static async Task<long> UsedBytesAsync(HttpClient user) =>
        (await user.GetFromJsonAsync<JsonElement>("/v1/quota")).GetProperty("used_bytes").GetInt64();
}
