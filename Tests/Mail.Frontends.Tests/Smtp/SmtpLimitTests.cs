using System.Diagnostics;
using System.Text;

namespace Mail.Frontends.Tests.Smtp;

/// <summary>Session limits on a host configured small: size, recipients, errors, timeouts, connections per address.</summary>
[Collection(SmtpLimitsHostCollection.Name)]
public sealed class SmtpLimitTests(SmtpLimitsHostFixture host)
{
    [Fact]
    public async Task EhloAnnouncesTheConfiguredSizeAndMailOverItReturns552()
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: EHLO client.example
            S: 250-localhost
            S: 250-PIPELINING
            S: 250-SIZE 10000
            S: 250-8BITMIME
            S: 250-SMTPUTF8
            S: 250-ENHANCEDSTATUSCODES
            S: 250-CHUNKING
            S: 250-DSN
            S: 250-STARTTLS
            S: 250 HELP
            C: MAIL FROM:<sender@remote.example> SIZE=10001
            S: 552 5.3.4 Error: message exceeds fixed maximum message size
            C: MAIL FROM:<sender@remote.example> SIZE=10000
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task OversizedDataIsDrainedAndRefusedWith552AndTheSessionStaysUsable()
    {
        var (address, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.RunAsync($"""
            C: MAIL FROM:<sender@remote.example>
            C: RCPT TO:<{address}>
            C: DATA
            S: 250 2.0.0 Ok
            S: 250 2.0.0 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            """);
        await smtp.SendAsync(Body("too big", 50_000) + ".\r\nNOOP\r\n");
        await smtp.RunAsync($"""
            S: 552 5.3.4 Error: message exceeds fixed maximum message size
            S: 250 2.0.0 Ok
            C: MAIL FROM:<sender@remote.example>
            C: RCPT TO:<{address}>
            C: DATA
            S: 250 2.0.0 Ok
            S: 250 2.0.0 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            C: Subject: small
            C:
            C: fits
            C: .
            S: 250 2.0.0 Ok: queued as *
            """);

        var item = Assert.Single(await ApiUsers.ListAsync(user));
        Assert.Equal("small", item.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task MessageOfExactlyTheSizeLimitIsAcceptedAndOneOctetMoreIsNot()
    {
        var (address, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;
        var exact = Body("exact", SmtpLimitsHostFixture.MaxMessageBytes);
        Assert.Equal(SmtpLimitsHostFixture.MaxMessageBytes, exact.Length);
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);

        var over = Body("over", SmtpLimitsHostFixture.MaxMessageBytes + 1);
        foreach (var (body, reply) in new[] { (over, "552 5.3.4 Error: message exceeds fixed maximum message size"), (exact, "250 2.0.0 Ok: queued as *") })
        {
            await smtp.RunAsync($"""
                C: MAIL FROM:<sender@remote.example>
                C: RCPT TO:<{address}>
                C: DATA
                S: 250 2.0.0 Ok
                S: 250 2.0.0 Ok
                S: 354 End data with <CR><LF>.<CR><LF>
                """);
            await smtp.SendAsync(body + ".\r\n");
            await smtp.RunAsync($"S: {reply}");
        }

        StoredMessages.AssertIsBodyAfterTraceHeaders(await StoredMessages.SingleRawAsync(user), Encoding.ASCII.GetBytes(exact), "sender@remote.example", address);
    }

    [Fact]
    public async Task OversizedBdatIsRefusedWith552AtLastAndTheSessionStaysUsable()
    {
        var (address, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;
        var chunk = Encoding.ASCII.GetBytes(Body("chunked", 8000));
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.SendAsync([.. Encoding.ASCII.GetBytes($"MAIL FROM:<s@remote.example>\r\nRCPT TO:<{address}>\r\nBDAT {chunk.Length}\r\n"), .. chunk,
            .. Encoding.ASCII.GetBytes($"BDAT {chunk.Length} LAST\r\n"), .. chunk, .. "NOOP\r\n"u8]);
        await smtp.RunAsync($"""
            S: 250 2.0.0 Ok
            S: 250 2.0.0 Ok
            S: 250 2.0.0 {chunk.Length} octets received
            S: 552 5.3.4 Error: message exceeds fixed maximum message size
            S: 250 2.0.0 Ok
            C: MAIL FROM:<s@remote.example>
            S: 250 2.0.0 Ok
            """);

        Assert.Empty(await ApiUsers.ListAsync(user));
    }

    [Fact]
    public async Task FourthRecipientReturns452()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: MAIL FROM:<sender@remote.example>
            S: 250 2.0.0 Ok
            C: RCPT TO:<alice@example.test>
            S: 250 2.0.0 Ok
            C: RCPT TO:<bob@example.test>
            S: 250 2.0.0 Ok
            C: RCPT TO:<postmaster@example.test>
            S: 550 5.1.1 <postmaster@example.test>: Recipient address rejected: User unknown
            C: RCPT TO:<alice@example.test>
            S: 250 2.0.0 Ok
            C: RCPT TO:<bob@example.test>
            S: 452 4.5.3 Error: too many recipients
            C: RSET
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task ErrorBudgetExhaustedReturns421AndCloses()
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: FOO
            S: 500 5.5.2 Error: command not recognized
            C: RCPT TO:<alice@example.test>
            S: 503 5.5.1 Error: need MAIL command
            C: NOOP
            S: 250 2.0.0 Ok
            C: EHLO
            S: 501 5.5.4 Syntax: EHLO hostname
            C: BAR
            S: 500 5.5.2 Error: command not recognized
            C: BAZ
            C: NOOP
            S: 500 5.5.2 Error: command not recognized
            S: 421 4.7.0 localhost Error: too many errors
            S: <closed>
            """);
    }

    [Fact]
    public async Task IdleSessionGets421AfterTheCommandTimeoutAndIsClosed()
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: HELO client.example
            S: 250 localhost
            """);
        var clock = Stopwatch.StartNew();
        await smtp.RunAsync("""
            S: 421 4.4.2 localhost Error: timeout exceeded
            S: <closed>
            """);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task PartialCommandLineStillTimesOut()
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SmtpPort);
        await smtp.SendAsync("NOO");
        await smtp.RunAsync("""
            S: 421 4.4.2 localhost Error: timeout exceeded
            S: <closed>
            """);
    }

    [Fact]
    public async Task StalledDataGets421AfterTheDataTimeout()
    {
        await using var smtp = await StallInDataAsync();
        var clock = Stopwatch.StartNew();
        await smtp.RunAsync("""
            S: 421 4.4.2 localhost Error: timeout exceeded
            S: <closed>
            """);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task StalledBdatChunkGets421AfterTheDataTimeout()
    {
        await using var smtp = await StallInBdatAsync();
        var clock = Stopwatch.StartNew();
        await smtp.RunAsync("""
            S: 421 4.4.2 localhost Error: timeout exceeded
            S: <closed>
            """);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task StalledAuthExchangeGets421AfterTheCommandTimeout()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SubmissionTlsPort, implicitTls: true);
        await smtp.RunAsync("""
            C: AUTH LOGIN
            S: 334 VXNlcm5hbWU6
            """);
        await smtp.RunAsync("""
            S: 421 4.4.2 localhost Error: timeout exceeded
            S: <closed>
            """);
    }

    [Fact]
    public async Task ClientThatNeverStartsTheTlsHandshakeIsClosedAfterTheCommandTimeout()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SubmissionPort);
        await smtp.RunAsync("""
            C: STARTTLS
            S: 220 2.0.0 Ready to start TLS
            S: <closed>
            """);
    }

    [Fact]
    public async Task ConnectionsOverTheLimitPerAddressGet421AndAFreedSlotIsReused()
    {
        var open = new List<SmtpTranscript>();
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var transcript = await SmtpTranscript.ConnectAsync(host.SmtpPort);
                open.Add(transcript);
                var greeting = await transcript.ReadReplyAsync();
                if (greeting == "220 localhost ESMTP Mail\r\n")
                {
                    if (open.Count == 3) break;
                    continue;
                }
                // A session of an earlier test may not have ended yet on the server: start again.
                Assert.True(attempt < 20, "sessions of earlier tests never released their slot");
                foreach (var t in open) await t.DisposeAsync();
                open.Clear();
                await Task.Delay(100);
            }

            await using (var extra = await SmtpTranscript.ConnectAsync(host.SmtpPort))
            {
                await extra.RunAsync("""
                    S: 421 4.7.0 localhost Error: too many connections from your address
                    S: <closed>
                    """);
            }
            await open[0].RunAsync("""
                C: QUIT
                S: 221 2.0.0 Bye
                S: <closed>
                """);
            await open[1].RunAsync("""
                C: NOOP
                S: 250 2.0.0 Ok
                """);

            var deadline = Stopwatch.StartNew();
            while (true)
            {
                await using var again = await SmtpTranscript.ConnectAsync(host.SmtpPort);
                if (await again.ReadReplyAsync() == "220 localhost ESMTP Mail\r\n") break;
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(3), "the slot of the closed session was not released");
                await Task.Delay(50);
            }
        }
        finally
        {
            foreach (var t in open) await t.DisposeAsync();
        }
    }

    private async Task<SmtpTranscript> StallInDataAsync()
    {
        var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: MAIL FROM:<sender@remote.example>
            C: RCPT TO:<alice@example.test>
            C: DATA
            S: 250 2.0.0 Ok
            S: 250 2.0.0 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            C: Subject: stalled
            """);
        return smtp;
    }

    private async Task<SmtpTranscript> StallInBdatAsync()
    {
        var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: MAIL FROM:<sender@remote.example>
            S: 250 2.0.0 Ok
            C: RCPT TO:<alice@example.test>
            S: 250 2.0.0 Ok
            C: BDAT 1000 LAST
            C: Subject: stalled
            """);
        return smtp;
    }

    /// <summary>A message of exactly <paramref name="bytes"/> octets (at least 100), CRLF-terminated lines of at most 81 octets, no leading dots.</summary>
    private static string Body(string subject, int bytes)
    {
        var text = new StringBuilder($"Subject: {subject}\r\n\r\n");
        while (bytes - text.Length >= 82) text.Append(new string('z', 78)).Append("\r\n");
        text.Append(new string('y', bytes - text.Length - 2)).Append("\r\n");
        return text.ToString();
    }
}
