namespace Mail.Frontends.Tests.Smtp;

/// <summary>Every verb and its errors on the MX and submission listeners, as byte-exact C:/S: transcripts.</summary>
[Collection(SmtpHostCollection.Name)]
public sealed class SmtpCommandTranscriptTests(SmtpHostFixture host)
{
    /// <summary>The EHLO reply of a plaintext listener with the default SIZE.</summary>
    internal const string PlainEhloReply = """
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
        """;

    [Fact]
    public async Task GreetingIs220WithHostNameAndEsmtp()
    {
        await using var smtp = await SmtpTranscript.ConnectAsync(host.SmtpPort);
        await smtp.RunAsync("S: 220 localhost ESMTP Mail");
    }

    [Fact]
    public async Task EhloOnMxListsExactlyTheExtensionsWithStartTlsAndWithoutAuth()
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SmtpPort);
        await smtp.RunAsync("C: EHLO client.example\n" + PlainEhloReply);
    }

    [Fact]
    public async Task EhloOnSubmissionBeforeTlsOffersStartTlsButNotAuth()
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SubmissionPort);
        await smtp.RunAsync("C: EHLO client.example\n" + PlainEhloReply);
    }

    [Fact]
    public async Task EhloOnImplicitTlsSubmissionOffersAuthAndNotStartTls()
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SubmissionTlsPort, implicitTls: true);
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
            S: 250-AUTH PLAIN LOGIN OAUTHBEARER XOAUTH2
            S: 250 HELP
            """);
    }

    [Fact]
    public async Task HeloGreetsWithOneLineAndEsmtpParametersAreThenRefusedWith555()
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: HELO client.example
            S: 250 localhost
            C: MAIL FROM:<sender@remote.example> SIZE=100
            S: 555 5.5.4 Error: parameters need EHLO
            C: MAIL FROM:<sender@remote.example>
            S: 250 2.0.0 Ok
            """);
    }

    [Theory]
    [InlineData("EHLO")]
    [InlineData("EHLO   ")]
    [InlineData("EHLO two names")]
    public async Task EhloWithoutOneHostNameReturns501(string line)
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SmtpPort);
        await smtp.RunAsync($"""
            C: {line}
            S: 501 5.5.4 Syntax: EHLO hostname
            C: HELO
            S: 501 5.5.4 Syntax: HELO hostname
            """);
    }

    [Fact]
    public async Task NoopAndRsetReturn250Ok()
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: NOOP
            S: 250 2.0.0 Ok
            C: NOOP with an argument
            S: 250 2.0.0 Ok
            C: RSET
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task VerbsAreCaseInsensitive()
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: helo client.example
            S: 250 localhost
            C: NoOp
            S: 250 2.0.0 Ok
            C: mail from:<sender@remote.example>
            S: 250 2.0.0 Ok
            C: rset
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task VrfyReturns252WithoutRevealingTheUser()
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: VRFY alice@example.test
            S: 252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery
            C: VRFY nobody@example.test
            S: 252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery
            C: VRFY
            S: 501 5.5.4 Syntax: VRFY address
            """);
    }

    [Fact]
    public async Task HelpReturns214()
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: HELP
            S: 214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH
            """);
    }

    [Fact]
    public async Task QuitReturns221AndTheServerCloses()
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: EHLO client.example
            C: QUIT
            C: NOOP
            """);
        await smtp.ReadReplyAsync();
        await smtp.RunAsync("""
            S: 221 2.0.0 Bye
            S: <closed>
            """);
    }

    [Theory]
    [InlineData("FOO")]
    [InlineData("")]
    [InlineData("MAILFROM:<a@b.example>")]
    [InlineData("TURN")]
    [InlineData("ETRN example.test")]
    [InlineData("EXPN staff")]
    public async Task UnknownCommandReturns500(string line)
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SmtpPort);
        await smtp.RunAsync($"""
            C: {line}
            S: 500 5.5.2 Error: command not recognized
            C: NOOP
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task MailBeforeEhloReturns503()
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: MAIL FROM:<sender@remote.example>
            S: 503 5.5.1 Error: send HELO/EHLO first
            """);
    }

    [Fact]
    public async Task RcptBeforeMailReturns503()
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SmtpPort);
        await smtp.RunAsync("C: EHLO client.example\n" + PlainEhloReply + "\n" + """
            C: RCPT TO:<alice@example.test>
            S: 503 5.5.1 Error: need MAIL command
            """);
    }

    [Fact]
    public async Task DataBeforeMailOrBeforeRcptReturns503()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: DATA
            S: 503 5.5.1 Error: need MAIL command
            C: MAIL FROM:<sender@remote.example>
            S: 250 2.0.0 Ok
            C: DATA
            S: 503 5.5.1 Error: need RCPT command
            C: RCPT TO:<nobody@example.test>
            S: 550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown
            C: DATA
            S: 503 5.5.1 Error: need RCPT command
            """);
    }

    [Fact]
    public async Task NestedMailReturns503()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: MAIL FROM:<sender@remote.example>
            S: 250 2.0.0 Ok
            C: MAIL FROM:<other@remote.example>
            S: 503 5.5.1 Error: nested MAIL command
            """);
    }

    [Fact]
    public async Task RsetAndEhloAbandonTheTransaction()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: MAIL FROM:<sender@remote.example>
            S: 250 2.0.0 Ok
            C: RCPT TO:<alice@example.test>
            S: 250 2.0.0 Ok
            C: RSET
            S: 250 2.0.0 Ok
            C: RCPT TO:<alice@example.test>
            S: 503 5.5.1 Error: need MAIL command
            C: MAIL FROM:<sender@remote.example>
            S: 250 2.0.0 Ok
            C: HELO client.example
            S: 250 localhost
            C: DATA
            S: 503 5.5.1 Error: need MAIL command
            """);
    }

    [Theory]
    [InlineData("MAIL FROM:sender@remote.example", "501 5.5.4 Syntax: the address must be in angle brackets")]
    [InlineData("MAIL FROM:<sender@remote.example", "501 5.5.4 Syntax: missing '>'")]
    [InlineData("MAIL TO:<sender@remote.example>", "501 5.5.4 Syntax: expected FROM:<address>")]
    [InlineData("MAIL", "501 5.5.4 Syntax: expected FROM:<address>")]
    [InlineData("MAIL FROM:<no-at-sign>", "501 5.5.4 Syntax: 'no-at-sign' is not a valid mailbox")]
    [InlineData("MAIL FROM:<a@remote.example> SIZE=ten", "501 5.5.4 Syntax: SIZE=number")]
    [InlineData("MAIL FROM:<a@remote.example> SIZE=1 SIZE=2", "501 5.5.4 Syntax: parameter SIZE given twice")]
    [InlineData("DATA now", "501 5.5.4 Syntax: DATA takes no argument")]
    public async Task MalformedArgumentsReturn501(string line, string reply)
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.RunAsync($"""
            C: {line}
            S: {reply}
            C: NOOP
            S: 250 2.0.0 Ok
            """);
    }

    [Theory]
    [InlineData("RCPT TO:<>", "501 5.5.4 Syntax: an empty address is not allowed here")]
    [InlineData("RCPT TO:alice@example.test", "501 5.5.4 Syntax: the address must be in angle brackets")]
    [InlineData("RCPT FROM:<alice@example.test>", "501 5.5.4 Syntax: expected TO:<address>")]
    public async Task MalformedRecipientReturns501(string line, string reply)
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.RunAsync($"""
            C: MAIL FROM:<sender@remote.example>
            S: 250 2.0.0 Ok
            C: {line}
            S: {reply}
            """);
    }

    [Theory]
    [InlineData("MAIL FROM:<a@remote.example> FOO=BAR", "555 5.5.4 Error: unsupported parameter FOO")]
    [InlineData("MAIL FROM:<a@remote.example> BODY=BINARYMIME", "555 5.5.4 Error: BODY must be 7BIT or 8BITMIME")]
    [InlineData("MAIL FROM:<a@remote.example> RET=ALL", "555 5.5.4 Error: RET must be FULL or HDRS")]
    public async Task UnsupportedMailParameterReturns555(string line, string reply)
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.RunAsync($"""
            C: {line}
            S: {reply}
            """);
    }

    [Fact]
    public async Task SupportedMailAndRcptParametersAreAccepted()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: MAIL FROM:<a@remote.example> SIZE=1000 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=abc
            S: 250 2.0.0 Ok
            C: RCPT TO:<alice@example.test> NOTIFY=FAILURE ORCPT=rfc822;alice@example.test
            S: 250 2.0.0 Ok
            C: RCPT TO:<bob@example.test> XFOO=1
            S: 555 5.5.4 Error: unsupported parameter XFOO
            """);
    }

    [Fact]
    public async Task NullReversePathIsAcceptedForBounces()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: MAIL FROM:<>
            S: 250 2.0.0 Ok
            C: RCPT TO:<alice@example.test>
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task RcptToUnknownUserOfAHostedDomainReturns550()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: MAIL FROM:<sender@remote.example>
            S: 250 2.0.0 Ok
            C: RCPT TO:<nobody@example.test>
            S: 550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown
            C: RCPT TO:<Alice@Example.Test>
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task RcptToAForeignDomainOnMxReturns554RelayDenied()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: MAIL FROM:<sender@remote.example>
            S: 250 2.0.0 Ok
            C: RCPT TO:<someone@elsewhere.example>
            S: 554 5.7.1 <someone@elsewhere.example>: Relay access denied
            C: RCPT TO:<@relay.example:someone@elsewhere.example>
            S: 554 5.7.1 <someone@elsewhere.example>: Relay access denied
            """);
    }

    [Fact]
    public async Task SizeUnderTheLimitIsAcceptedAndOverItReturns552AtMail()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: MAIL FROM:<sender@remote.example> SIZE=25000001
            S: 552 5.3.4 Error: message exceeds fixed maximum message size
            C: MAIL FROM:<sender@remote.example> SIZE=25000000
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task CommandLineOver2048OctetsReturns500AndTheSessionContinues()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.SendAsync("NOOP " + new string('x', 5000) + "\r\n");
        await smtp.RunAsync("""
            S: 500 5.5.2 Error: line too long
            C: MAIL FROM:<sender@remote.example>
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task CommandLineMuchLongerThanAReadBufferIsSkippedWhole()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.SendAsync("RCPT TO:<" + new string('a', 300_000) + "@example.test>\r\nNOOP\r\n");
        await smtp.RunAsync("""
            S: 500 5.5.2 Error: line too long
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task CommandLineOfExactly2048OctetsIncludingCrlfIsAccepted()
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SmtpPort);
        var line = "NOOP " + new string('x', 2048 - "NOOP ".Length - 2);
        Assert.Equal(2046, line.Length);
        await smtp.RunAsync($"""
            C: {line}
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task CommandLineOf2049OctetsIncludingCrlfReturns500()
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SmtpPort);
        var line = "NOOP " + new string('x', 2049 - "NOOP ".Length - 2);
        await smtp.RunAsync($"""
            C: {line}
            S: 500 5.5.2 Error: line too long
            C: NOOP
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task LfOnlyCommandLinesAreAccepted()
    {
        await using var smtp = await SmtpTranscript.OpenAsync(host.SmtpPort);
        await smtp.SendAsync("HELO client.example\nNOOP\n");
        await smtp.RunAsync("""
            S: 250 localhost
            S: 250 2.0.0 Ok
            """);
    }
}
