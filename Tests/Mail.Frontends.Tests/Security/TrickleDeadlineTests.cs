using System.Diagnostics;
using System.Text;
using Mail.Frontends.Tests.Imap;
using Mail.Frontends.Tests.Smtp;

namespace Mail.Frontends.Tests.Security;

/// <summary>
/// A client cannot hold a session by trickling a byte at a time, nor by idling before login: message content (DATA,
/// BDAT) and IMAP commands (literals included) have a total deadline, and sessions that have not logged in a short idle
/// timer. Each attack runs on a raw socket and is cut off with the protocol's own answer.
/// </summary>
[Collection(DeadlineHostCollection.Name)]
public sealed class TrickleDeadlineTests(DeadlineHostFixture host)
{
    private const string SmtpTimeout = "421 4.4.2 localhost Error: timeout exceeded\r\n";
    private static readonly TimeSpan Drip = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task DataTrickledWithinTheReadTimeoutIsCutOffWith421AtTheDeadlineAndNothingIsStored()
    {
        var (address, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;
        await using var smtp = await Open(host.SmtpPort);
        await smtp.RunAsync($"""
            C: EHLO client.example
            S: 250-localhost
            S: 250-PIPELINING
            S: 250-SIZE 25000000
            S: 250-8BITMIME
            S: 250-SMTPUTF8
            S: 250-ENHANCEDSTATUSCODES
            S: 250-CHUNKING
            S: 250-DSN
            S: 250-STARTTLS
            S: 250 HELP
            C: MAIL FROM:<sender@remote.example>
            C: RCPT TO:<{address}>
            C: DATA
            S: 250 2.0.0 Ok
            S: 250 2.0.0 Ok
            S: 354 End data with <CR><LF>.<CR><LF>
            """);

        var (answer, elapsed) = await TrickleAsync(smtp, "Subject: slow\r\n\r\n" + new string('x', 400));

        Assert.Equal(SmtpTimeout, answer);
        AssertCutAtDeadline(elapsed, DeadlineHostFixture.DeadlineSeconds);
        await smtp.ExpectClosedAsync();
        Assert.Empty(await ApiUsers.ListAsync(user));
    }

    [Fact]
    public async Task BdatChunkTrickledIsCutOffWith421AtTheDeadline()
    {
        await using var smtp = await OpenWithEhlo(host.SmtpPort);
        await smtp.RunAsync("""
            C: MAIL FROM:<sender@remote.example>
            S: 250 2.0.0 Ok
            C: RCPT TO:<alice@example.test>
            S: 250 2.0.0 Ok
            C: BDAT 1000 LAST
            """);

        var (answer, elapsed) = await TrickleAsync(smtp, new string('x', 400));

        Assert.Equal(SmtpTimeout, answer);
        AssertCutAtDeadline(elapsed, DeadlineHostFixture.DeadlineSeconds);
        await smtp.ExpectClosedAsync();
    }

    [Fact]
    public async Task BdatDeadlineRunsFromTheFirstChunkAcrossTheTransaction()
    {
        await using var smtp = await OpenWithEhlo(host.SmtpPort);
        await smtp.RunAsync("""
            C: MAIL FROM:<sender@remote.example>
            S: 250 2.0.0 Ok
            C: RCPT TO:<alice@example.test>
            S: 250 2.0.0 Ok
            C: BDAT 9
            C: Subject
            S: 250 2.0.0 9 octets received
            """);
        await Task.Delay(TimeSpan.FromSeconds(DeadlineHostFixture.DeadlineSeconds + 0.5));
        await smtp.RunAsync("""
            C: BDAT 4 LAST
            C: xy
            S: 421 4.4.2 localhost Error: timeout exceeded
            S: <closed>
            """);
    }

    [Fact]
    public async Task SubmissionSessionIdleBeforeAuthGets421AfterThePreAuthTimeoutButTheMxWaitsLonger()
    {
        await using var submission = await OpenWithEhlo(host.SubmissionPort);
        await using var mx = await OpenWithEhlo(host.SmtpPort);
        var clock = Stopwatch.StartNew();

        Assert.Equal(SmtpTimeout, await submission.ReadLineAsync());
        AssertCutAtDeadline(clock.Elapsed, DeadlineHostFixture.PreAuthSeconds);
        await submission.ExpectClosedAsync();
        await Task.Delay(TimeSpan.FromSeconds(DeadlineHostFixture.PreAuthSeconds));
        await mx.RunAsync("""
            C: NOOP
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task SubmissionCommandTrickledBeforeAuthIsCutOffWith421()
    {
        await using var submission = await Open(host.SubmissionPort);

        var (answer, elapsed) = await TrickleAsync(submission, "EHLO " + new string('a', 200));

        Assert.Equal(SmtpTimeout, answer);
        AssertCutAtDeadline(elapsed, DeadlineHostFixture.PreAuthSeconds);
        await submission.ExpectClosedAsync();
    }

    [Fact]
    public async Task ImapSessionIdleBeforeLoginGetsByeWithinTheShortTimer()
    {
        await using var imap = await SmtpTranscript.ConnectAsync(host.ImapPort);
        imap.Timeout = TimeSpan.FromSeconds(15);
        await imap.ExpectLineStartsWithAsync("* OK [CAPABILITY ");
        var clock = Stopwatch.StartNew();

        Assert.Equal("* BYE Autologout; idle for too long\r\n", await imap.ReadLineAsync());
        AssertCutAtDeadline(clock.Elapsed, DeadlineHostFixture.PreAuthSeconds);
        await imap.ExpectClosedAsync();
    }

    [Fact]
    public async Task ImapCommandTrickledBeforeLoginGetsBye()
    {
        await using var imap = await SmtpTranscript.ConnectAsync(host.ImapPort);
        imap.Timeout = TimeSpan.FromSeconds(15);
        await imap.ExpectLineStartsWithAsync("* OK [CAPABILITY ");

        var (answer, elapsed) = await TrickleAsync(imap, "a1 LOGIN " + new string('a', 200));

        Assert.Equal("* BYE Autologout; command not received in time\r\n", answer);
        AssertCutAtDeadline(elapsed, DeadlineHostFixture.PreAuthSeconds);
        await imap.ExpectClosedAsync();
    }

    [Fact]
    public async Task ImapLiteralTrickledAfterLoginGetsByeAtTheCommandDeadlineAndNothingIsAppended()
    {
        var (address, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        imap.Timeout = TimeSpan.FromSeconds(15);
        await imap.RunAsync("""
            C: a1 APPEND INBOX {1000}
            S: + Ready for literal data
            """);

        var (answer, elapsed) = await TrickleAsync(imap, "Subject: slow\r\n\r\n" + new string('x', 400));

        Assert.Equal("* BYE Autologout; command not received in time\r\n", answer);
        AssertCutAtDeadline(elapsed, DeadlineHostFixture.DeadlineSeconds);
        await imap.ExpectClosedAsync();
        Assert.Empty(await ApiUsers.ListAsync(user));
    }

    [Fact]
    public async Task Pop3SessionIdleBeforeLoginIsClosedWithoutAResponseAfterThePreAuthTimeout()
    {
        await using var pop3 = await Open(host.Pop3Port, "+OK Mail POP3 server ready");
        var clock = Stopwatch.StartNew();

        await pop3.ExpectClosedAsync();
        AssertCutAtDeadline(clock.Elapsed, DeadlineHostFixture.PreAuthSeconds);
    }

    [Fact]
    public async Task Pop3CommandTrickledBeforeLoginIsClosedWithoutAResponse()
    {
        await using var pop3 = await Open(host.Pop3Port, "+OK Mail POP3 server ready");

        var (answer, elapsed) = await TrickleAsync(pop3, "USER " + new string('a', 200));

        Assert.Null(answer);
        AssertCutAtDeadline(elapsed, DeadlineHostFixture.PreAuthSeconds);
    }

    private static async Task<SmtpTranscript> Open(int port, string greeting = "220 localhost ESMTP Mail")
    {
        var client = await SmtpTranscript.ConnectAsync(port);
        client.Timeout = TimeSpan.FromSeconds(15);
        await client.ExpectAsync(greeting);
        return client;
    }

    private static async Task<SmtpTranscript> OpenWithEhlo(int port)
    {
        var client = await Open(port);
        await client.SendAsync("EHLO client.example\r\n");
        Assert.StartsWith("250-localhost\r\n", await client.ReadReplyAsync());
        return client;
    }

    /// <summary>
    /// Sends <paramref name="text"/> one octet per <see cref="Drip"/> (well within any per-read timeout) until the server
    /// answers or closes; returns its line (null when it closed without one) and how long the trickle lasted.
    /// </summary>
    private static async Task<(string? Answer, TimeSpan Elapsed)> TrickleAsync(SmtpTranscript client, string text)
    {
        var clock = Stopwatch.StartNew();
        var answer = client.ReadLineAsync();
        foreach (var octet in Encoding.ASCII.GetBytes(text))
        {
            if (answer.IsCompleted) break;
            try
            {
                await client.SendAsync([octet]);
            }
            catch (IOException)
            {
                break;
            }
            await Task.WhenAny(answer, Task.Delay(Drip));
        }
        Assert.True(answer.IsCompleted || await Task.WhenAny(answer, Task.Delay(TimeSpan.FromSeconds(10))) == answer,
            "the server let the trickle run to its end");
        return (await answer, clock.Elapsed);
    }

    /// <summary>The cut came at the deadline: not before it, and not long after (a loaded machine gets a few seconds).</summary>
    private static void AssertCutAtDeadline(TimeSpan elapsed, int deadlineSeconds) =>
        Assert.InRange(elapsed, TimeSpan.FromSeconds(deadlineSeconds - 0.5), TimeSpan.FromSeconds(deadlineSeconds + 5));
}
