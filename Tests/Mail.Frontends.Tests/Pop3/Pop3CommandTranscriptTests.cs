using System.Text;

namespace Mail.Frontends.Tests.Pop3;

/// <summary>Every command (RFC 1939, RFC 2449) and its errors, as byte-exact C:/S: transcripts.</summary>
[Collection(Pop3HostCollection.Name)]
public sealed class Pop3CommandTranscriptTests(Pop3HostFixture host)
{
    /// <summary>CAPA on the STLS port before TLS: STLS, no USER and no SASL (RFC 2595 §4).</summary>
    internal const string CapaBeforeTls = """
        S: +OK Capability list follows
        S: TOP
        S: UIDL
        S: RESP-CODES
        S: AUTH-RESP-CODE
        S: PIPELINING
        S: STLS
        S: IMPLEMENTATION Mail
        S: .
        """;

    /// <summary>CAPA under TLS before login: USER and SASL PLAIN, no STLS.</summary>
    internal const string CapaUnderTls = """
        S: +OK Capability list follows
        S: TOP
        S: USER
        S: UIDL
        S: RESP-CODES
        S: AUTH-RESP-CODE
        S: PIPELINING
        S: SASL PLAIN
        S: IMPLEMENTATION Mail
        S: .
        """;

    [Fact]
    public async Task GreetingIsPlusOkWithoutApopTimestamp()
    {
        await using var pop3 = await Pop3Transcript.ConnectAsync(host.Pop3Port);
        await pop3.RunAsync("S: +OK Mail POP3 server ready");
    }

    [Fact]
    public async Task ImplicitTlsPortGreetsAfterTheHandshake()
    {
        await using var pop3 = await Pop3Transcript.ConnectAsync(host.Pop3TlsPort, implicitTls: true);
        await pop3.RunAsync("S: +OK Mail POP3 server ready");
    }

    [Fact]
    public async Task CapaBeforeTlsOffersStlsButNeitherUserNorSasl()
    {
        await using var pop3 = await Pop3Transcript.OpenAsync(host.Pop3Port);
        await pop3.RunAsync("C: CAPA\n" + CapaBeforeTls);
    }

    [Fact]
    public async Task CapaOnImplicitTlsOffersUserAndSaslButNotStls()
    {
        await using var pop3 = await Pop3Transcript.OpenAsync(host.Pop3TlsPort, implicitTls: true);
        await pop3.RunAsync("C: CAPA\n" + CapaUnderTls);
    }

    [Fact]
    public async Task CapaInTransactionListsNoLoginCapabilities()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 0);
        await using var pop3 = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user);
        await pop3.RunAsync("""
            C: CAPA
            S: +OK Capability list follows
            S: TOP
            S: UIDL
            S: RESP-CODES
            S: AUTH-RESP-CODE
            S: PIPELINING
            S: IMPLEMENTATION Mail
            S: .
            C: CAPA now
            S: -ERR Syntax: CAPA takes no argument
            """);
    }

    [Fact]
    public async Task TransactionCommandsBeforeLoginAreRefusedAndTheSessionContinues()
    {
        await using var pop3 = await Pop3Transcript.OpenAsync(host.Pop3TlsPort, implicitTls: true);
        await pop3.RunAsync("""
            C: STAT
            S: -ERR STAT is not valid in the AUTHORIZATION state
            C: LIST
            S: -ERR LIST is not valid in the AUTHORIZATION state
            C: RETR 1
            S: -ERR RETR is not valid in the AUTHORIZATION state
            C: DELE 1
            S: -ERR DELE is not valid in the AUTHORIZATION state
            C: TOP 1 0
            S: -ERR TOP is not valid in the AUTHORIZATION state
            C: UIDL
            S: -ERR UIDL is not valid in the AUTHORIZATION state
            C: NOOP
            S: -ERR NOOP is not valid in the AUTHORIZATION state
            C: RSET
            S: -ERR RSET is not valid in the AUTHORIZATION state
            C: QUIT
            S: +OK Mail POP3 server signing off
            S: <closed>
            """);
    }

    [Fact]
    public async Task LoginCommandsAfterLoginAreRefused()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 0);
        await using var pop3 = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user);
        await pop3.RunAsync($"""
            C: USER {user}
            S: -ERR USER is not valid in the TRANSACTION state
            C: PASS test-password
            S: -ERR PASS is not valid in the TRANSACTION state
            C: AUTH PLAIN
            S: -ERR AUTH is not valid in the TRANSACTION state
            C: STLS
            S: -ERR STLS is not valid in the TRANSACTION state
            C: STAT
            S: +OK 0 0
            """);
    }

    [Fact]
    public async Task UnknownAndMalformedCommandsGetErrAndTheSessionContinues()
    {
        await using var pop3 = await Pop3Transcript.OpenAsync(host.Pop3Port);
        await pop3.RunAsync("""
            C: XYZZ
            S: -ERR unknown command
            C: APOP alice@example.test 0123456789abcdef0123456789abcdef
            S: -ERR unknown command
            C:
            S: -ERR empty command
            C: NO
            S: -ERR malformed command
            C: RETR1
            S: -ERR malformed command
            """);
        await pop3.SendAsync("CAPA\0\r\n");
        await pop3.ExpectAsync("-ERR control characters in command");
        await pop3.RunAsync("C: capa\n" + CapaBeforeTls);
    }

    [Fact]
    public async Task OverlongLineGetsErrAndTheSessionContinues()
    {
        await using var pop3 = await Pop3Transcript.OpenAsync(host.Pop3Port);
        await pop3.SendAsync("USER " + new string('a', 3000) + "\r\nNOOP\r\n");
        await pop3.ExpectAsync("-ERR line too long", "-ERR NOOP is not valid in the AUTHORIZATION state");
        await pop3.SendAsync(new string('b', 2000));
        await pop3.SendAsync(new string('b', 2000) + "\r\n");
        await pop3.ExpectAsync("-ERR line too long");
        await pop3.RunAsync("C: CAPA\n" + CapaBeforeTls);
    }

    [Fact]
    public async Task StatListAndUidlDescribeTheMaildropNumberedByUid()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 3);
        var inbox = await Pop3Mailboxes.InboxAsync(host, user);
        var (m, v) = (inbox.Messages, inbox.Folder.UidValidity);
        var total = m.Sum(s => s.Size);

        await using var pop3 = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user);
        await pop3.RunAsync($"""
            C: STAT
            S: +OK 3 {total}
            C: LIST
            S: +OK 3 messages ({total} octets)
            S: 1 {m[0].Size}
            S: 2 {m[1].Size}
            S: 3 {m[2].Size}
            S: .
            C: LIST 2
            S: +OK 2 {m[1].Size}
            C: UIDL
            S: +OK
            S: 1 {v}.{m[0].Uid}
            S: 2 {v}.{m[1].Uid}
            S: 3 {v}.{m[2].Uid}
            S: .
            C: UIDL 3
            S: +OK 3 {v}.{m[2].Uid}
            """);
    }

    [Fact]
    public async Task BadMessageNumbersAndArgumentsAreRefused()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 1);
        await using var pop3 = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user);
        await pop3.RunAsync("""
            C: LIST 0
            S: -ERR invalid message number
            C: LIST 2
            S: -ERR no such message, only 1 message in maildrop
            C: RETR x
            S: -ERR invalid message number
            C: LIST 1 2
            S: -ERR Syntax: LIST [msg]
            C: RETR
            S: -ERR Syntax: RETR msg
            C: TOP 1
            S: -ERR Syntax: TOP msg n
            C: TOP 1 -1
            S: -ERR invalid line count
            C: STAT all
            S: -ERR Syntax: STAT takes no argument
            C: UIDL 99999999999
            S: -ERR invalid message number
            C: NOOP
            S: +OK
            """);
    }

    [Fact]
    public async Task PipelinedCommandsAreAnsweredInOrder()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 1);
        var inbox = await Pop3Mailboxes.InboxAsync(host, user);
        var size = inbox.Messages[0].Size;
        await using var pop3 = await Pop3Transcript.OpenAsync(host.Pop3TlsPort, implicitTls: true);
        await pop3.RunAsync($"""
            C: USER {user}
            C: PASS test-password
            C: STAT
            C: LIST
            C: NOOP
            C: DELE 1
            C: RSET
            S: +OK send PASS
            S: +OK maildrop has 1 message ({size} octets)
            S: +OK 1 {size}
            S: +OK 1 message ({size} octets)
            S: 1 {size}
            S: .
            S: +OK
            S: +OK message 1 deleted
            S: +OK maildrop has 1 message ({size} octets)
            """);
    }

    [Fact]
    public async Task DeleMarksTheMessageThatOtherCommandsThenRefuseUntilRset()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 2);
        var inbox = await Pop3Mailboxes.InboxAsync(host, user);
        var (m, v) = (inbox.Messages, inbox.Folder.UidValidity);
        var total = m.Sum(s => s.Size);

        await using var pop3 = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user);
        await pop3.RunAsync($"""
            C: DELE 1
            S: +OK message 1 deleted
            C: DELE 1
            S: -ERR message 1 already deleted
            C: RETR 1
            S: -ERR message 1 already deleted
            C: TOP 1 0
            S: -ERR message 1 already deleted
            C: LIST 1
            S: -ERR message 1 already deleted
            C: UIDL 1
            S: -ERR message 1 already deleted
            C: STAT
            S: +OK 1 {m[1].Size}
            C: LIST
            S: +OK 1 message ({m[1].Size} octets)
            S: 2 {m[1].Size}
            S: .
            C: UIDL
            S: +OK
            S: 2 {v}.{m[1].Uid}
            S: .
            C: RSET
            S: +OK maildrop has 2 messages ({total} octets)
            C: STAT
            S: +OK 2 {total}
            C: QUIT
            S: +OK Mail POP3 server signing off (2 messages left)
            S: <closed>
            """);
        Assert.Equal(2, (await Pop3Mailboxes.InboxAsync(host, user)).Messages.Count);
    }

    [Fact]
    public async Task RetrSendsTheSizeAndTheStoredMessageDotStuffed()
    {
        var (user, client) = await ApiUsers.CreateAsync(host);
        client.Dispose();
        var body = ".starts with a dot\r\n.\r\n..\r\nmiddle . dot\r\n8-bit: \u00e9t\u00e9 \u2603\r\n" + new string('x', 990) + "\r\n\r\nlast line\r\n";
        await Pop3Mailboxes.DeliverAsync(host, user, Pop3Mailboxes.Message(user, "dots", body));
        var slot = Assert.Single((await Pop3Mailboxes.InboxAsync(host, user)).Messages);
        var stored = await Pop3Mailboxes.RawAsync(host, user, slot.MessageId);
        Assert.Equal(slot.Size, stored.Length);

        await using var pop3 = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user);
        await pop3.RunAsync($"""
            C: RETR 1
            S: +OK {slot.Size} octets
            """);
        Assert.Equal(stored, await pop3.ReadBodyAsync());
        await pop3.RunAsync("""
            C: NOOP
            S: +OK
            """);
    }

    [Fact]
    public async Task RetrOfAMessageOfSeveralMegabytesStreamsItWhole()
    {
        var (user, client) = await ApiUsers.CreateAsync(host);
        client.Dispose();
        var line = string.Concat(Enumerable.Repeat("0123456789", 7)) + "\r\n";
        var body = new StringBuilder();
        for (var i = 0; body.Length < 3_000_000; i++) body.Append(i % 50 == 0 ? "." : "").Append(line);
        await Pop3Mailboxes.DeliverAsync(host, user, Pop3Mailboxes.Message(user, "big", body.ToString()));
        var slot = Assert.Single((await Pop3Mailboxes.InboxAsync(host, user)).Messages);
        var stored = await Pop3Mailboxes.RawAsync(host, user, slot.MessageId);

        await using var pop3 = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user);
        pop3.Timeout = TimeSpan.FromSeconds(30);
        await pop3.RunAsync($"""
            C: RETR 1
            S: +OK {slot.Size} octets
            """);
        Assert.Equal(stored, await pop3.ReadBodyAsync());
    }

    [Fact]
    public async Task TopSendsTheHeaderTheBlankLineAndTheFirstLinesOfTheBody()
    {
        var (user, client) = await ApiUsers.CreateAsync(host);
        client.Dispose();
        await Pop3Mailboxes.DeliverAsync(host, user, Pop3Mailboxes.Message(user, "top", "one\r\n.two\r\nthree\r\n"));
        var slot = Assert.Single((await Pop3Mailboxes.InboxAsync(host, user)).Messages);
        var stored = Encoding.UTF8.GetString(await Pop3Mailboxes.RawAsync(host, user, slot.MessageId));
        var header = stored[..(stored.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)];

        await using var pop3 = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user);
        foreach (var (lines, body) in new[] { (0, ""), (2, "one\r\n.two\r\n"), (3, "one\r\n.two\r\nthree\r\n"), (50, "one\r\n.two\r\nthree\r\n") })
        {
            await pop3.RunAsync($"""
                C: TOP 1 {lines}
                S: +OK top of message follows
                """);
            Assert.Equal(header + body, Encoding.UTF8.GetString(await pop3.ReadBodyAsync()));
        }
    }

    [Fact]
    public async Task NoopAndQuitTakeNoArguments()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 0);
        await using var pop3 = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user);
        await pop3.RunAsync("""
            C: NOOP x
            S: -ERR Syntax: NOOP takes no argument
            C: RSET x
            S: -ERR Syntax: RSET takes no argument
            C: QUIT now
            S: -ERR Syntax: QUIT takes no argument
            C: NOOP
            S: +OK
            C: QUIT
            S: +OK Mail POP3 server signing off (maildrop empty)
            S: <closed>
            """);
    }

    [Fact]
    public async Task ErrorBudgetClosesTheSession()
    {
        await using var pop3 = await Pop3Transcript.OpenAsync(host.Pop3Port);
        var script = new StringBuilder();
        for (var i = 0; i < 9; i++) script.Append("C: XYZZ\nS: -ERR unknown command\n");
        script.Append("C: XYZZ\nS: -ERR unknown command\nS: -ERR too many errors, closing connection\nS: <closed>\n");
        await pop3.RunAsync(script.ToString());
    }
}
