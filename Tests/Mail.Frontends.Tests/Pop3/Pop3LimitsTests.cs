using System.Text;

namespace Mail.Frontends.Tests.Pop3;

/// <summary>The autologout timer (RFC 1939 §3), the error budget, and plaintext login where the operator allows it (RFC 2595 §4).</summary>
[Collection(Pop3LimitsHostCollection.Name)]
public sealed class Pop3LimitsTests(Pop3LimitsHostFixture host)
{
    [Fact]
    public async Task SilentClientIsDisconnectedWithoutAResponseAndNothingIsDeleted()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 1);
        await using var pop3 = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user);
        pop3.Timeout = TimeSpan.FromSeconds(Pop3LimitsHostFixture.CommandTimeoutSeconds + 10);
        await pop3.RunAsync("""
            C: DELE 1
            S: +OK message 1 deleted
            S: <closed>
            """);

        await using var next = await Pop3Transcript.LoginAsync(host.Pop3TlsPort, user);
        await next.RunAsync("""
            C: STAT
            S: +OK 1 *
            """);
    }

    [Fact]
    public async Task SilenceInAuthorizationStateClosesToo()
    {
        await using var pop3 = await Pop3Transcript.OpenAsync(host.Pop3Port);
        pop3.Timeout = TimeSpan.FromSeconds(Pop3LimitsHostFixture.CommandTimeoutSeconds + 10);
        await pop3.ExpectClosedAsync();
    }

    [Fact]
    public async Task SilenceAfterTheAuthChallengeClosesWithoutAResponse()
    {
        await using var pop3 = await Pop3Transcript.OpenAsync(host.Pop3Port);
        pop3.Timeout = TimeSpan.FromSeconds(Pop3LimitsHostFixture.CommandTimeoutSeconds + 10);
        await pop3.RunAsync("""
            C: AUTH PLAIN
            S: + 
            S: <closed>
            """);
    }

    [Fact]
    public async Task ThirdErrorClosesTheSession()
    {
        await using var pop3 = await Pop3Transcript.OpenAsync(host.Pop3Port);
        await pop3.RunAsync("""
            C: XYZZ
            S: -ERR unknown command
            C: STAT
            S: -ERR STAT is not valid in the AUTHORIZATION state
            C: USER
            S: -ERR Syntax: USER name
            S: -ERR too many errors, closing connection
            S: <closed>
            """);
    }

    [Fact]
    public async Task PlaintextLoginWhenAllowedIsOfferedBeforeTlsAndWorks()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 0);
        await using var pop3 = await Pop3Transcript.OpenAsync(host.Pop3Port);
        await pop3.RunAsync($"""
            C: CAPA
            S: +OK Capability list follows
            S: TOP
            S: USER
            S: UIDL
            S: RESP-CODES
            S: AUTH-RESP-CODE
            S: PIPELINING
            S: SASL PLAIN
            S: STLS
            S: IMPLEMENTATION Mail
            S: .
            C: AUTH PLAIN {Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0test-password"))}
            S: +OK maildrop has 0 messages (0 octets)
            C: QUIT
            S: +OK Mail POP3 server signing off (maildrop empty)
            S: <closed>
            """);
    }
}
