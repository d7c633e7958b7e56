using System.Text;

namespace Mail.Frontends.Tests.Smtp;

/// <summary>
/// Control characters (CR, LF, NUL, other C0, DEL) in EHLO/HELO names and in MAIL/RCPT paths are refused with
/// 501 5.5.2 (RFC 5321 §4.1.1.1, §4.1.2), so none can reach a Received or Return-Path field (§4.4).
/// </summary>
[Collection(SmtpHostCollection.Name)]
public sealed class SmtpControlCharacterTests(SmtpHostFixture host)
{
    private const string Refused = "501 5.5.2 Syntax: control characters are not allowed";

    [Theory]
    [InlineData("EHLO client\0.example\r\n")]
    [InlineData("EHLO client.example\rX-Injected: yes\r\n")]
    [InlineData("EHLO client.example\r\r\n")]
    [InlineData("EHLO [127.0.0.1\0]\r\n")]
    [InlineData("EHLO client\u007F.example\r\n")]
    [InlineData("EHLO client\u001B.example\r\n")]
    [InlineData("HELO client\0.example\r\n")]
    [InlineData("HELO [127.0.0.1\0]\r\n")]
    [InlineData("HELO client.example\rX-Injected: yes\r\n")]
    public async Task GreetingNameWithControlCharacterIsRefusedAndLeavesNoName(string line)
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SmtpPort);
        await smtp.SendAsync(line);
        await smtp.ExpectAsync(Refused);
        await smtp.RunAsync("""
            C: MAIL FROM:<sender@remote.example>
            S: 503 5.5.1 Error: send HELO/EHLO first
            C: HELO client.example
            S: 250 localhost
            """);
    }

    [Theory]
    [InlineData("MAIL FROM:<sender@remote.example\0>\r\n")]
    [InlineData("MAIL FROM:<sender@[127.0.0.1\0]>\r\n")]
    [InlineData("MAIL FROM:<send\rer@remote.example>\r\n")]
    [InlineData("MAIL FROM:<sender@remote.example>\rX-Injected: yes\r\n")]
    [InlineData("MAIL FROM:<\"a\u007Fb\"@remote.example>\r\n")]
    [InlineData("MAIL FROM:<sender@remote.example> ENVID=a\u0001b\r\n")]
    public async Task ReversePathWithControlCharacterIsRefused(string line)
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.SendAsync(line);
        await smtp.ExpectAsync(Refused);
        await smtp.RunAsync("""
            C: RCPT TO:<someone@example.test>
            S: 503 5.5.1 Error: need MAIL command
            """);
    }

    [Theory]
    [InlineData("RCPT TO:<VICTIM\0>\r\n")]
    [InlineData("RCPT TO:<VICTIM>\rX-Injected: yes\r\n")]
    [InlineData("RCPT TO:<user@[127.0.0.1\0]>\r\n")]
    [InlineData("RCPT TO:<VICTIM> NOTIFY=NEVER\u007F\r\n")]
    public async Task ForwardPathWithControlCharacterIsRefusedAndNothingIsStored(string line)
    {
        var (victim, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;

        await using (var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort))
        {
            await smtp.RunAsync("""
                C: MAIL FROM:<sender@remote.example>
                S: 250 2.0.0 Ok
                """);
            await smtp.SendAsync(line.Replace("VICTIM", victim));
            await smtp.ExpectAsync(Refused);
            await smtp.RunAsync("""
                C: DATA
                S: 503 5.5.1 Error: need RCPT command
                """);
        }

        Assert.Empty(await ApiUsers.ListAsync(user));
    }

    [Fact]
    public async Task RefusedNamesAndPathsNeverReachTheTraceFields()
    {
        var (victim, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;
        var body = Encoding.ASCII.GetBytes("Subject: trace\r\n\r\nhello\r\n");

        await using (var smtp = await SmtpTranscript.OpenAsync(host.SmtpPort))
        {
            await smtp.SendAsync("EHLO evil\0.example\rX-Injected: yes\r\n");
            await smtp.ExpectAsync(Refused);
            await smtp.RunAsync("C: EHLO client.example\n" + SmtpCommandTranscriptTests.PlainEhloReply);
            await smtp.SendAsync("MAIL FROM:<sender@remote.example\r>\r\n");
            await smtp.ExpectAsync(Refused);
            await smtp.SendAsync($"RCPT TO:<{victim}\0>\r\n");
            await smtp.ExpectAsync("503 5.5.1 Error: need MAIL command");
            await smtp.RunAsync($"""
                C: MAIL FROM:<sender@remote.example>
                S: 250 2.0.0 Ok
                C: RCPT TO:<{victim}>
                S: 250 2.0.0 Ok
                C: DATA
                S: 354 End data with <CR><LF>.<CR><LF>
                """);
            await smtp.SendAsync(body);
            await smtp.SendAsync(".\r\n");
            await smtp.ExpectLineStartsWithAsync("250 2.0.0 Ok: queued as ");
        }

        var raw = await StoredMessages.SingleRawAsync(user);
        StoredMessages.AssertIsBodyAfterTraceHeaders(raw, body, "sender@remote.example", victim);
        Assert.DoesNotContain("X-Injected", Encoding.UTF8.GetString(raw));
    }
}
