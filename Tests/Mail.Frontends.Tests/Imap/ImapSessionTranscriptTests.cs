using Mail.Frontends.Tests.Smtp;

namespace Mail.Frontends.Tests.Imap;

/// <summary>Greeting, capabilities, TLS, authentication, framing and errors as byte-exact C:/S: transcripts.</summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapSessionTranscriptTests(ImapHostFixture host)
{
    private const string PlainGreeting = "* OK [CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE STARTTLS LOGINDISABLED] Mail IMAP4rev2 server ready";

    [Fact]
    public async Task GreetingOnThePlaintextPortOffersStartTlsAndDisablesLogin()
    {
        await using var imap = await SmtpTranscript.ConnectAsync(host.ImapPort);
        await imap.RunAsync($"""
            S: {PlainGreeting}
            C: a1 CAPABILITY
            S: * CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE STARTTLS LOGINDISABLED
            S: a1 OK CAPABILITY completed
            C: a2 LOGIN alice@example.test demo-password
            S: a2 NO [PRIVACYREQUIRED] LOGIN is disabled before STARTTLS
            C: a3 AUTHENTICATE PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABkZW1vLXBhc3N3b3Jk
            S: a3 NO [PRIVACYREQUIRED] Authentication is disabled before STARTTLS
            C: a4 SELECT INBOX
            S: a4 BAD Log in first
            C: a5 LOGOUT
            S: * BYE Logging out
            S: a5 OK LOGOUT completed
            S: <closed>
            """);
    }

    [Fact]
    public async Task StartTlsDiscardsPipelinedPlaintextAndThenOffersAuthPlain()
    {
        await using var imap = await SmtpTranscript.ConnectAsync(host.ImapPort);
        await imap.RunAsync($"""
            S: {PlainGreeting}
            C: t1 STARTTLS
            C: t2 CAPABILITY
            S: t1 OK Begin TLS negotiation now
            """);
        await imap.StartTlsAsync();
        await imap.RunAsync("""
            C: t3 CAPABILITY
            S: * CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE AUTH=PLAIN AUTH=OAUTHBEARER AUTH=XOAUTH2
            S: t3 OK CAPABILITY completed
            C: t4 STARTTLS
            S: t4 BAD TLS is already active
            """);
    }

    [Fact]
    public async Task ImplicitTlsLoginWithSynchronizingAndNonSynchronizingLiterals()
    {
        await using var imap = await ImapTestMail.OpenTlsAsync(host);
        await imap.RunAsync("""
            C: a1 LOGIN {18}
            S: + Ready for literal data
            C: alice@example.test {13+}
            C: wrong-passwd
            S: a1 NO [AUTHENTICATIONFAILED] Authentication failed
            C: a2 LOGIN "alice@example.test" {13+}
            C: demo-password
            S: a2 OK [CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE *
            C: a3 LOGIN alice@example.test demo-password
            S: a3 BAD LOGIN is not valid in this state
            """);
    }

    /// <summary>
    /// UNAUTHENTICATE (RFC 8437 §3) closes the mailbox without expunging, forgets what ENABLE turned on and the identity,
    /// and the same TLS connection logs in again.
    /// </summary>
    [Fact]
    public async Task UnauthenticateEndsTheIdentityAndKeepsTheConnection()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(imap, "INBOX", @"(\Deleted) ", ImapMessages.Simple("Kept", "body"), 1);
        await imap.RunAsync("""
            C: e1 ENABLE CONDSTORE
            S: * ENABLED CONDSTORE
            S: e1 OK ENABLE completed
            C: x1 EXAMINE INBOX
            S: * FLAGS*
            S: * 1 EXISTS
            S: * *
            S: * OK [UNSEEN 1]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 2] Predicted next UID
            S: * OK [PERMANENTFLAGS ()] Read-only mailbox
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: x1 OK [READ-ONLY] EXAMINE completed
            C: u1 UNAUTHENTICATE
            S: u1 OK UNAUTHENTICATE completed
            C: u2 SELECT INBOX
            S: u2 BAD Log in first
            C: u3 UNAUTHENTICATE
            S: u3 BAD *
            """);
        await imap.CommandAsync($"l1 LOGIN {address} {ImapTestMail.Password}");
        await imap.ExpectLineStartsWithAsync("l1 OK [CAPABILITY ");
        // CONDSTORE is off again (no MODSEQ in FETCH) and the \Deleted message was not expunged.
        await imap.RunAsync("""
            C: x2 EXAMINE INBOX
            S: * FLAGS*
            S: * 1 EXISTS
            S: * *
            S: * OK [UNSEEN 1]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 2] Predicted next UID
            S: * OK [PERMANENTFLAGS ()] Read-only mailbox
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: x2 OK [READ-ONLY] EXAMINE completed
            C: f1 FETCH 1 (FLAGS)
            S: * 1 FETCH (FLAGS (\Recent \Deleted))
            S: f1 OK FETCH completed
            """);
    }

    [Fact]
    public async Task AuthenticatePlainWithAContinuationAndACancel()
    {
        await using var imap = await ImapTestMail.OpenTlsAsync(host);
        await imap.RunAsync("""
            C: a1 AUTHENTICATE PLAIN
            S: + 
            C: *
            S: a1 BAD Authentication cancelled
            C: a2 AUTHENTICATE PLAIN
            S: + 
            C: AGFsaWNlQGV4YW1wbGUudGVzdABkZW1vLXBhc3N3b3Jk
            S: a2 OK [CAPABILITY *
            C: a3 NOOP
            S: a3 OK NOOP completed
            """);
    }

    [Fact]
    public async Task BadSyntaxGetsTaggedBadAndTheSessionSurvives()
    {
        await using var imap = await ImapTestMail.OpenTlsAsync(host);
        await imap.RunAsync("""
            C: a1 FROB
            S: a1 BAD Unknown command FROB
            C: a2 LOGIN "unterminated
            S: a2 BAD Unterminated quoted string
            C: +bad NOOP
            S: * BAD Expected a tag
            C: a3
            S: a3 BAD Expected a space
            C: a4 NOOP extra
            S: a4 BAD Unexpected characters at end of command
            C: a5 UID FROB 1
            S: a5 BAD UID FROB is not a command
            C: a6 NOOP
            S: a6 OK NOOP completed
            """);
    }

    [Fact]
    public async Task ABigLiteralBeforeLoginIsRefusedWithoutContinuation()
    {
        await using var imap = await ImapTestMail.OpenTlsAsync(host);
        await imap.RunAsync("""
            C: a1 LOGIN {100000}
            S: a1 BAD Literal of 100000 octets is larger than 1024
            C: a2 NOOP
            S: a2 OK NOOP completed
            """);
    }

    [Fact]
    public async Task AnOverLongLineIsRefusedAndTheSessionGoesOn()
    {
        await using var imap = await ImapTestMail.OpenTlsAsync(host);
        await imap.SendAsync("a1 NOOP " + new string('x', 40_000) + "\r\n");
        await imap.RunAsync("""
            S: a1 BAD Line longer than 36864 octets
            C: a2 NOOP
            S: a2 OK NOOP completed
            """);
    }

    [Fact]
    public async Task IdNamespaceAndEnable()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await imap.RunAsync("""
            C: a1 ID ("name" "test")
            S: * ID ("name" "Mail" "vendor" "Mail")
            S: a1 OK ID completed
            C: a2 NAMESPACE
            S: * NAMESPACE (("" "/")) (("Other Users/" "/")) NIL
            S: a2 OK NAMESPACE completed
            C: a3 ENABLE CONDSTORE UTF8=ACCEPT IMAP4rev2
            S: * ENABLED CONDSTORE UTF8=ACCEPT IMAP4rev2
            S: a3 OK ENABLE completed
            C: a4 ENABLE QRESYNC CONDSTORE
            S: * ENABLED QRESYNC
            S: a4 OK ENABLE completed
            C: a5 FETCH 1 FLAGS
            S: a5 BAD Select a mailbox first
            """);
    }
}
