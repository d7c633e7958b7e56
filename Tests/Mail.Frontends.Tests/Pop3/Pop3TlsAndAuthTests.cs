using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Mail.Frontends.Tests.Pop3;

/// <summary>STLS (RFC 2595 §4), USER/PASS (RFC 1939 §7) and AUTH PLAIN (RFC 5034, RFC 4616), with their response codes (RFC 3206).</summary>
[Collection(Pop3HostCollection.Name)]
public sealed class Pop3TlsAndAuthTests(Pop3HostFixture host)
{
    private const string TlsRequired = "-ERR [AUTH] Plaintext authentication disallowed on non-secure connections, use STLS";

    [Fact]
    public async Task StlsUpgradesAndCapaThenOffersLoginButNotStls()
    {
        await using var pop3 = await Pop3Transcript.OpenAsync(host.Pop3Port);
        await pop3.RunAsync("""
            C: STLS
            S: +OK Begin TLS negotiation
            """);
        await pop3.StartTlsAsync();
        await pop3.RunAsync("C: CAPA\n" + Pop3CommandTranscriptTests.CapaUnderTls + "\n" + """
            C: STLS
            S: -ERR command not permitted when TLS active
            C: USER alice@example.test
            S: +OK send PASS
            C: PASS wrong
            S: -ERR [AUTH] Authentication failed
            """);
    }

    [Theory]
    [InlineData("CAPA")]
    [InlineData("USER alice@example.test\r\nPASS demo-password")]
    [InlineData("AUTH PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABkZW1vLXBhc3N3b3Jk")]
    public async Task PlaintextPipelinedAfterStlsIsDiscardedNotExecuted(string injected)
    {
        await using var pop3 = await Pop3Transcript.OpenAsync(host.Pop3Port);
        await pop3.SendAsync($"STLS\r\n{injected}\r\n");
        await pop3.ExpectAsync("+OK Begin TLS negotiation");
        await pop3.StartTlsAsync();
        await pop3.RunAsync("""
            C: PASS demo-password
            S: -ERR send USER first
            C: STAT
            S: -ERR STAT is not valid in the AUTHORIZATION state
            """);
    }

    [Fact]
    public async Task LoginBeforeTlsIsRefusedWithAuthCode()
    {
        await using var pop3 = await Pop3Transcript.OpenAsync(host.Pop3Port);
        await pop3.RunAsync($"""
            C: USER alice@example.test
            S: {TlsRequired}
            C: PASS demo-password
            S: {TlsRequired}
            C: AUTH PLAIN {Plain("alice@example.test", "demo-password")}
            S: {TlsRequired}
            C: AUTH
            S: {TlsRequired}
            C: STAT
            S: -ERR STAT is not valid in the AUTHORIZATION state
            """);
    }

    [Fact]
    public async Task StlsTakesNoArgumentAndIsRefusedOnTheImplicitTlsPort()
    {
        await using (var plain = await Pop3Transcript.OpenAsync(host.Pop3Port))
        {
            await plain.RunAsync("""
                C: STLS now
                S: -ERR Syntax: STLS takes no argument
                """);
        }
        await using var tls = await Pop3Transcript.OpenAsync(host.Pop3TlsPort, implicitTls: true);
        await tls.RunAsync("""
            C: STLS
            S: -ERR command not permitted when TLS active
            """);
    }

    [Fact]
    public async Task UserPassAfterStlsLogsIn()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 1);
        var size = (await Pop3Mailboxes.InboxAsync(host, user)).Messages[0].Size;
        await using var pop3 = await Pop3Transcript.OpenAsync(host.Pop3Port);
        await pop3.RunAsync("""
            C: STLS
            S: +OK Begin TLS negotiation
            """);
        await pop3.StartTlsAsync();
        await pop3.RunAsync($"""
            C: USER {user.ToUpperInvariant()}
            S: +OK send PASS
            C: PASS test-password
            S: +OK maildrop has 1 message ({size} octets)
            C: STAT
            S: +OK 1 {size}
            C: QUIT
            S: +OK Mail POP3 server signing off (1 message left)
            S: <closed>
            """);
    }

    [Fact]
    public async Task WrongPasswordReturnsAuthCodeAndPassThenNeedsANewUser()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 0);
        await using var pop3 = await Pop3Transcript.OpenAsync(host.Pop3TlsPort, implicitTls: true);
        await pop3.RunAsync($"""
            C: USER {user}
            S: +OK send PASS
            C: PASS wrong-password
            S: -ERR [AUTH] Authentication failed
            C: PASS test-password
            S: -ERR send USER first
            C: USER nobody@example.test
            S: +OK send PASS
            C: PASS test-password
            S: -ERR [AUTH] Authentication failed
            C: USER not-an-address
            S: +OK send PASS
            C: PASS test-password
            S: -ERR [AUTH] Authentication failed
            C: USER {user}
            S: +OK send PASS
            C: PASS test-password
            S: +OK maildrop has 0 messages (0 octets)
            """);
    }

    [Fact]
    public async Task PassMustFollowUserImmediately()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 0);
        await using var pop3 = await Pop3Transcript.OpenAsync(host.Pop3TlsPort, implicitTls: true);
        await pop3.RunAsync($"""
            C: PASS test-password
            S: -ERR send USER first
            C: USER {user}
            S: +OK send PASS
            C: CAPA
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
            C: PASS test-password
            S: -ERR send USER first
            C: USER
            S: -ERR Syntax: USER name
            C: USER a@b.example c
            S: -ERR Syntax: USER name
            C: USER {user}
            S: +OK send PASS
            C: PASS
            S: -ERR Syntax: PASS string
            """);
    }

    [Fact]
    public async Task AuthPlainWithInitialResponseLogsIn()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 0);
        await using var pop3 = await Pop3Transcript.OpenAsync(host.Pop3TlsPort, implicitTls: true);
        await pop3.RunAsync($"""
            C: AUTH PLAIN {Plain(user, "test-password")}
            S: +OK maildrop has 0 messages (0 octets)
            C: STAT
            S: +OK 0 0
            """);
    }

    [Fact]
    public async Task AuthPlainWithoutInitialResponseSendsAnEmptyChallenge()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 0);
        await using var pop3 = await Pop3Transcript.OpenAsync(host.Pop3TlsPort, implicitTls: true);
        await pop3.RunAsync($"""
            C: AUTH plain
            S: + 
            C: {Plain(user, "test-password", authorize: user)}
            S: +OK maildrop has 0 messages (0 octets)
            """);
    }

    [Fact]
    public async Task AuthFailuresAndCancellationKeepTheSessionInAuthorization()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 0);
        await using var pop3 = await Pop3Transcript.OpenAsync(host.Pop3TlsPort, implicitTls: true);
        await pop3.RunAsync($"""
            C: AUTH
            S: +OK
            S: PLAIN
            S: .
            C: AUTH CRAM-MD5
            S: -ERR unrecognized authentication mechanism
            C: AUTH PLAIN
            S: + 
            C: *
            S: -ERR authentication cancelled
            C: AUTH PLAIN !!!not-base64!!!
            S: -ERR malformed base64 response
            C: AUTH PLAIN =
            S: -ERR malformed PLAIN response
            C: AUTH PLAIN {Plain(user, "wrong-password")}
            S: -ERR [AUTH] Authentication failed
            C: AUTH PLAIN {Plain(user, "test-password", authorize: "alice@example.test")}
            S: -ERR [AUTH] Authentication failed
            C: AUTH PLAIN a b
            S: -ERR Syntax: AUTH mechanism [initial-response]
            C: AUTH PLAIN {Plain(user, "test-password")}
            S: +OK maildrop has 0 messages (0 octets)
            """);
    }

    [Fact]
    public async Task AppPasswordAndApiKeyAreAcceptedAsPasswords()
    {
        var (user, client) = await ApiUsers.CreateAsync(host);
        using var _ = client;
        var appPassword = await SecretAsync(client, "/v1/account/app-passwords");
        var apiKey = await SecretAsync(client, "/v1/account/api-keys");

        foreach (var secret in new[] { appPassword, apiKey })
        {
            await using var pop3 = await Pop3Transcript.OpenAsync(host.Pop3TlsPort, implicitTls: true);
            await pop3.RunAsync($"""
                C: USER {user}
                S: +OK send PASS
                C: PASS {secret}
                S: +OK maildrop has 0 messages (0 octets)
                C: QUIT
                S: +OK Mail POP3 server signing off (maildrop empty)
                S: <closed>
                """);
        }

        await using var other = await Pop3Transcript.OpenAsync(host.Pop3TlsPort, implicitTls: true);
        await other.RunAsync($"""
            C: AUTH PLAIN {Plain("bob@example.test", apiKey)}
            S: -ERR [AUTH] Authentication failed
            """);
    }

    private static async Task<string> SecretAsync(HttpClient client, string path)
    {
        var response = await client.PostAsJsonAsync(path, new { name = "pop3" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
    }

    private static string Plain(string user, string password, string authorize = "") =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{authorize}\0{user}\0{password}"));
}
