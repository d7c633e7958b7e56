using System.Net.Http.Json;
using System.Text;

namespace Mail.Frontends.Tests.Smtp;

/// <summary>
/// Submission (RFC 6409 §8): the header From must be the authenticated user's address or alias, every mailbox of it,
/// whatever the envelope sender; a forged one is refused with 550 5.7.1 at the end of DATA or BDAT and nothing is stored.
/// </summary>
[Collection(SmtpHostCollection.Name)]
public sealed class SmtpHeaderFromTests(SmtpHostFixture host)
{
    [Theory]
    [InlineData("From: ceo@example.test\r\n")]
    [InlineData("From: \"SENDER\" <ceo@example.test>\r\n")]
    [InlineData("From: SENDER, ceo@example.test\r\n")]
    [InlineData("From: board: SENDER, ceo@example.test;\r\n")]
    [InlineData("From: SENDER\r\nFrom: ceo@example.test\r\n")]
    [InlineData("")]
    [InlineData("From: undisclosed:;\r\n")]
    public async Task ForgedHeaderFromAfterDataIsRefusedAndNothingIsDelivered(string from)
    {
        var (sender, recipient, recipientClient) = await UsersAsync();
        using var _ = recipientClient;

        await using var smtp = await SubmitAsync(sender);
        await smtp.RunAsync($"""
            C: MAIL FROM:<{sender}>
            C: RCPT TO:<{recipient}>
            C: DATA
            S: 250 2.0.0 Ok
            S: 250 2.0.0 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            """);
        await smtp.SendAsync(from.Replace("SENDER", sender) + "Subject: forged\r\n\r\nhello\r\n.\r\n");
        await smtp.RunAsync($"""
            S: 550 5.7.1 Error: header From must be one or more addresses of user {sender}
            C: NOOP
            S: 250 2.0.0 Ok
            """);

        Assert.Empty(await ApiUsers.ListAsync(recipientClient));
    }

    [Fact]
    public async Task ForgedHeaderFromInBdatIsRefused()
    {
        var (sender, recipient, recipientClient) = await UsersAsync();
        using var _ = recipientClient;
        var message = "From: ceo@example.test\r\nSubject: forged\r\n\r\nhello\r\n";

        await using var smtp = await SubmitAsync(sender);
        await smtp.RunAsync($"""
            C: MAIL FROM:<{sender}>
            C: RCPT TO:<{recipient}>
            S: 250 2.0.0 Ok
            S: 250 2.0.0 Ok
            """);
        await smtp.SendAsync($"BDAT {Encoding.ASCII.GetByteCount(message)} LAST\r\n{message}");
        await smtp.ExpectAsync($"550 5.7.1 Error: header From must be one or more addresses of user {sender}");

        Assert.Empty(await ApiUsers.ListAsync(recipientClient));
    }

    [Fact]
    public async Task OwnAddressAndAliasInHeaderFromAreAccepted()
    {
        var (sender, recipient, recipientClient) = await UsersAsync();
        using var _ = recipientClient;
        var alias = $"a{Guid.NewGuid():N}"[..13] + "@example.test";
        using (var admin = host.CreateAdminClient())
        {
            (await admin.PostAsJsonAsync($"/v1/admin/accounts/{sender}/aliases", new { alias })).EnsureSuccessStatusCode();
        }

        await using var smtp = await SubmitAsync(sender);
        foreach (var from in new[] { sender, $"\"Me\" <{alias.ToUpperInvariant()}>", $"{sender}, {alias}" })
        {
            await smtp.RunAsync($"""
                C: MAIL FROM:<{sender}>
                C: RCPT TO:<{recipient}>
                C: DATA
                S: 250 2.0.0 Ok
                S: 250 2.0.0 Ok
                S: 354 End data with <CR><LF>.<CR><LF>
                """);
            await smtp.SendAsync($"From: {from}\r\nSubject: own\r\n\r\nhello\r\n.\r\n");
            await smtp.ExpectLineStartsWithAsync("250 2.0.0 Ok: queued as ");
        }

        Assert.Equal(3, (await ApiUsers.ListAsync(recipientClient)).Length);
    }

    private async Task<(string Sender, string Recipient, HttpClient RecipientClient)> UsersAsync()
    {
        var (sender, senderClient) = await ApiUsers.CreateAsync(host);
        senderClient.Dispose();
        var (recipient, recipientClient) = await ApiUsers.CreateAsync(host);
        return (sender, recipient, recipientClient);
    }

    private async Task<SmtpTranscript> SubmitAsync(string sender)
    {
        var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SubmissionTlsPort, implicitTls: true);
        await smtp.RunAsync($"""
            C: AUTH PLAIN {Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{sender}\0test-password"))}
            S: 235 2.7.0 Authentication successful
            """);
        return smtp;
    }
}
