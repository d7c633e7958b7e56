using System.Text;

namespace Mail.Frontends.Tests.Smtp;

/// <summary>STARTTLS (RFC 3207) and AUTH PLAIN/LOGIN (RFC 4954, RFC 4616) on the submission listeners.</summary>
[Collection(SmtpHostCollection.Name)]
public sealed class SmtpTlsAndAuthTests(SmtpHostFixture host)
{
    private const string TlsSubmissionEhloReply = """
        S: 250-localhost
        S: 250-PIPELINING
        S: 250-SIZE 25000000
        S: 250-8BITMIME
        S: 250-SMTPUTF8
        S: 250-ENHANCEDSTATUSCODES
        S: 250-CHUNKING
        S: 250-DSN
        S: 250-AUTH PLAIN LOGIN OAUTHBEARER XOAUTH2
        S: 250 HELP
        """;

    private static readonly string AlicePlain = Base64("\0alice@example.test\0demo-password");

    [Theory]
    [InlineData("RSET")]
    [InlineData("HELP")]
    [InlineData("EHLO injected.example\r\nMAIL FROM:<alice@example.test>")]
    public async Task PlaintextPipelinedAfterStartTlsIsDiscardedNotExecuted(string injected)
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SubmissionPort);
        await smtp.SendAsync($"STARTTLS\r\n{injected}\r\n");
        await smtp.ExpectAsync("220 2.0.0 Ready to start TLS");
        await smtp.StartTlsAsync();

        await smtp.RunAsync("C: EHLO client.example\n" + TlsSubmissionEhloReply + "\n" + """
            C: NOOP
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task PlaintextPipelinedAfterStartTlsOnMxIsDiscardedToo()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.SendAsync("STARTTLS\r\nRSET\r\nMAIL FROM:<sender@remote.example>\r\n");
        await smtp.ExpectAsync("220 2.0.0 Ready to start TLS");
        await smtp.StartTlsAsync();

        await smtp.RunAsync("""
            C: EHLO client.example
            S: 250-localhost
            S: 250-PIPELINING
            S: 250-SIZE 25000000
            S: 250-8BITMIME
            S: 250-SMTPUTF8
            S: 250-ENHANCEDSTATUSCODES
            S: 250-CHUNKING
            S: 250-DSN
            S: 250 HELP
            C: MAIL FROM:<sender@remote.example>
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task StartTlsForgetsTheGreetingAndRefusesASecondStartTls()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SubmissionPort);
        await smtp.RunAsync("""
            C: STARTTLS now
            S: 501 5.5.4 Syntax: STARTTLS takes no argument
            C: STARTTLS
            S: 220 2.0.0 Ready to start TLS
            """);
        await smtp.StartTlsAsync();
        await smtp.RunAsync($"""
            C: AUTH PLAIN {AlicePlain}
            S: 503 5.5.1 Error: send EHLO first
            C: MAIL FROM:<alice@example.test>
            S: 503 5.5.1 Error: send HELO/EHLO first
            C: STARTTLS
            S: 503 5.5.1 Error: TLS already active
            """);
    }

    [Fact]
    public async Task AuthBeforeTlsOnSubmissionReturns538AndEhloDoesNotOfferIt()
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SubmissionPort);
        await smtp.RunAsync("C: EHLO client.example\n" + SmtpCommandTranscriptTests.PlainEhloReply + "\n" + $"""
            C: AUTH PLAIN {AlicePlain}
            S: 538 5.7.11 Encryption required for requested authentication mechanism
            C: AUTH LOGIN
            S: 538 5.7.11 Encryption required for requested authentication mechanism
            """);
    }

    [Fact]
    public async Task AuthOnMxReturns503()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.RunAsync($"""
            C: AUTH PLAIN {AlicePlain}
            S: 503 5.5.1 Error: authentication not enabled
            """);
    }

    [Fact]
    public async Task MailOnSubmissionWithoutAuthReturns530BeforeAndAfterTls()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SubmissionPort);
        await smtp.RunAsync("""
            C: MAIL FROM:<alice@example.test>
            S: 530 5.7.0 Authentication required
            C: STARTTLS
            S: 220 2.0.0 Ready to start TLS
            """);
        await smtp.StartTlsAsync();
        await smtp.RunAsync("C: EHLO client.example\n" + TlsSubmissionEhloReply + "\n" + """
            C: MAIL FROM:<alice@example.test>
            S: 530 5.7.0 Authentication required
            C: RCPT TO:<bob@example.test>
            S: 503 5.5.1 Error: need MAIL command
            """);
    }

    [Fact]
    public async Task AuthPlainWithInitialResponseAfterStartTlsReturns235()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SubmissionPort);
        await smtp.RunAsync("""
            C: STARTTLS
            S: 220 2.0.0 Ready to start TLS
            """);
        await smtp.StartTlsAsync();
        await smtp.RunAsync("C: EHLO client.example\n" + TlsSubmissionEhloReply + "\n" + $"""
            C: AUTH PLAIN {AlicePlain}
            S: 235 2.7.0 Authentication successful
            C: AUTH PLAIN {AlicePlain}
            S: 503 5.5.1 Error: already authenticated
            C: MAIL FROM:<alice@example.test>
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task AuthPlainWithWrongPasswordReturns535AndARetryCanSucceed()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SubmissionTlsPort, implicitTls: true);
        await smtp.RunAsync($"""
            C: AUTH PLAIN {Base64("\0alice@example.test\0wrong-password")}
            S: 535 5.7.8 Authentication credentials invalid
            C: AUTH PLAIN {Base64("\0nobody@example.test\0demo-password")}
            S: 535 5.7.8 Authentication credentials invalid
            C: AUTH PLAIN {Base64("bob@example.test\0alice@example.test\0demo-password")}
            S: 535 5.7.8 Authentication credentials invalid
            C: MAIL FROM:<alice@example.test>
            S: 530 5.7.0 Authentication required
            C: AUTH PLAIN {Base64("alice@example.test\0alice@example.test\0demo-password")}
            S: 235 2.7.0 Authentication successful
            """);
    }

    [Fact]
    public async Task AuthPlainWithoutInitialResponseSendsAnEmpty334Challenge()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SubmissionTlsPort, implicitTls: true);
        await smtp.RunAsync($"""
            C: AUTH PLAIN
            S: 334 
            C: {AlicePlain}
            S: 235 2.7.0 Authentication successful
            """);
    }

    [Fact]
    public async Task AuthLoginAsksForUserNameAndPasswordWith334Challenges()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SubmissionTlsPort, implicitTls: true);
        await smtp.RunAsync($"""
            C: AUTH LOGIN
            S: 334 VXNlcm5hbWU6
            C: {Base64("alice@example.test")}
            S: 334 UGFzc3dvcmQ6
            C: {Base64("demo-password")}
            S: 235 2.7.0 Authentication successful
            C: MAIL FROM:<alice@example.test>
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task AuthLoginWithInitialUserNameAsksOnlyForThePassword()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SubmissionTlsPort, implicitTls: true);
        await smtp.RunAsync($"""
            C: AUTH LOGIN {Base64("bob@example.test")}
            S: 334 UGFzc3dvcmQ6
            C: {Base64("not-it")}
            S: 535 5.7.8 Authentication credentials invalid
            """);
    }

    [Fact]
    public async Task AsteriskCancelsAnExchangeWith501()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SubmissionTlsPort, implicitTls: true);
        await smtp.RunAsync($"""
            C: AUTH LOGIN
            S: 334 VXNlcm5hbWU6
            C: *
            S: 501 5.7.0 Authentication cancelled
            C: AUTH LOGIN
            S: 334 VXNlcm5hbWU6
            C: {Base64("alice@example.test")}
            S: 334 UGFzc3dvcmQ6
            C: *
            S: 501 5.7.0 Authentication cancelled
            C: AUTH PLAIN
            S: 334 
            C: *
            S: 501 5.7.0 Authentication cancelled
            C: AUTH PLAIN {AlicePlain}
            S: 235 2.7.0 Authentication successful
            """);
    }

    [Fact]
    public async Task MalformedAuthReturns501Or504()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SubmissionTlsPort, implicitTls: true);
        await smtp.RunAsync($"""
            C: AUTH CRAM-MD5
            S: 504 5.5.4 Unrecognized authentication type
            C: AUTH PLAIN !!!not-base64!!!
            S: 501 5.5.2 Cannot decode response
            C: AUTH PLAIN {Base64("no separators")}
            S: 501 5.5.2 Malformed PLAIN response
            C: AUTH
            S: 501 5.5.4 Syntax: AUTH mechanism [initial-response]
            """);
    }

    [Fact]
    public async Task AuthDuringATransactionReturns503()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SubmissionTlsPort, implicitTls: true);
        await smtp.RunAsync($"""
            C: AUTH PLAIN {AlicePlain}
            S: 235 2.7.0 Authentication successful
            C: MAIL FROM:<alice@example.test>
            S: 250 2.0.0 Ok
            C: AUTH PLAIN {AlicePlain}
            S: 503 5.5.1 Error: already authenticated
            """);
    }

    [Fact]
    public async Task MailFromAnotherUsersAddressAfterAuthReturns553()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SubmissionTlsPort, implicitTls: true);
        await smtp.RunAsync($"""
            C: AUTH PLAIN {AlicePlain}
            S: 235 2.7.0 Authentication successful
            C: MAIL FROM:<bob@example.test>
            S: 553 5.7.1 <bob@example.test>: Sender address rejected: not owned by user alice@example.test
            C: MAIL FROM:<>
            S: 553 5.7.1 <>: Sender address rejected: not owned by user alice@example.test
            C: MAIL FROM:<Alice@Example.Test>
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task AuthenticatedSubmissionMayAddressForeignDomains()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SubmissionTlsPort, implicitTls: true);
        await smtp.RunAsync($"""
            C: AUTH PLAIN {AlicePlain}
            S: 235 2.7.0 Authentication successful
            C: MAIL FROM:<alice@example.test>
            S: 250 2.0.0 Ok
            C: RCPT TO:<someone@elsewhere.example>
            S: 250 2.0.0 Ok
            C: RCPT TO:<nobody@example.test>
            S: 550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown
            C: RSET
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task SubmissionOverStartTlsStoresTheMessageWithEsmtpsaTraceHeaders()
    {
        var (sender, senderClient) = await ApiUsers.CreateAsync(host);
        var (recipient, recipientClient) = await ApiUsers.CreateAsync(host);
        using var a = senderClient;
        using var b = recipientClient;
        var body = Encoding.ASCII.GetBytes($"From: <{sender}>\r\nTo: <{recipient}>\r\nSubject: over tls\r\n\r\n.leading dot kept once\r\n");

        await using (var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SubmissionPort))
        {
            await smtp.RunAsync("""
                C: STARTTLS
                S: 220 2.0.0 Ready to start TLS
                """);
            await smtp.StartTlsAsync();
            await smtp.RunAsync("C: EHLO client.example\n" + TlsSubmissionEhloReply + "\n" + $"""
                C: AUTH PLAIN {Base64($"\0{sender}\0test-password")}
                S: 235 2.7.0 Authentication successful
                C: MAIL FROM:<{sender}>
                C: RCPT TO:<{recipient}>
                C: DATA
                S: 250 2.0.0 Ok
                S: 250 2.0.0 Ok
                S: 354 End data with <CR><LF>.<CR><LF>
                """);
            await smtp.SendAsync(Encoding.ASCII.GetString(body).Replace("\r\n.leading", "\r\n..leading") + ".\r\n");
            await smtp.ExpectLineStartsWithAsync("250 2.0.0 Ok: queued as ");
        }

        StoredMessages.AssertIsBodyAfterTraceHeaders(await StoredMessages.SingleRawAsync(recipientClient), body, sender, recipient, "ESMTPSA", tls: true);
        Assert.Single(await ApiUsers.ListAsync(senderClient, "Sent"));
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
