using System.Net;
using System.Net.Http.Json;

namespace Mail.Frontends.Tests.Security;

/// <summary>
/// Password guessing against the real frontends: failures are counted per client address and user in a grain, across
/// connections and protocols; a locked-out pair fails even with the right password, with each protocol's generic reply.
/// </summary>
[Collection(CredentialHostCollection.Name)]
public sealed class AuthThrottleAttackTests(CredentialHostFixture host)
{
    private const string Password = "test-password";

    [Fact]
    public async Task SmtpGuessesOverNewConnectionsLockTheAddressOutEvenForTheRightPassword()
    {
        var (address, client) = await ApiUsers.CreateAsync(host);
        client.Dispose();

        for (var i = 0; i <= CredentialHostFixture.AccountFailures; i++)
        {
            var (ok, reply) = await MailLogins.SmtpAsync(host, address, $"guess-{i}");
            Assert.False(ok);
            // RFC 4954 §6: 535 5.7.8 whatever the reason.
            Assert.StartsWith("535 5.7.8 ", reply);
        }

        var right = await MailLogins.SmtpAsync(host, address, Password);
        Assert.False(right.Ok);
        Assert.StartsWith("535 5.7.8 ", right.Reply);
        // The lockout is of that address for that account: another address logs in.
        Assert.True((await MailLogins.SmtpAsync(host, address, Password, IPAddress.Parse("127.0.0.3"))).Ok);
    }

    [Fact]
    public async Task FailuresCountAcrossImapAndPop3AndTheLockoutHoldsOnEveryProtocol()
    {
        var (address, client) = await ApiUsers.CreateAsync(host);
        client.Dispose();
        var attacker = IPAddress.Parse("127.0.0.4");

        for (var i = 0; i < CredentialHostFixture.AccountFailures / 2; i++)
        {
            Assert.False((await MailLogins.ImapAsync(host, address, $"imap-guess-{i}", attacker)).Ok);
            Assert.False((await MailLogins.Pop3Async(host, address, $"pop-guess-{i}", attacker)).Ok);
        }

        var imap = await MailLogins.ImapAsync(host, address, Password, attacker);
        Assert.False(imap.Ok);
        // RFC 5530 §3: AUTHENTICATIONFAILED, the same as for a wrong password.
        Assert.Matches(@"^\S+ NO \[AUTHENTICATIONFAILED\] ", imap.Reply);
        var pop = await MailLogins.Pop3Async(host, address, Password, attacker);
        Assert.False(pop.Ok);
        // RFC 2449 §8, RFC 3206 §4: [AUTH].
        Assert.StartsWith("-ERR [AUTH] ", pop.Reply);
        var smtp = await MailLogins.SmtpAsync(host, address, Password, attacker);
        Assert.StartsWith("535 5.7.8 ", smtp.Reply);

        Assert.True((await MailLogins.ImapAsync(host, address, Password)).Ok);
    }

    [Fact]
    public async Task LockedOutUserGetsA401FromTheTokenEndpointToo()
    {
        var (address, client) = await ApiUsers.CreateAsync(host);
        client.Dispose();
        var attacker = IPAddress.Parse("127.0.0.5");
        for (var i = 0; i < CredentialHostFixture.AccountFailures; i++)
        {
            Assert.False((await MailLogins.ImapAsync(host, address, $"guess-{i}", attacker)).Ok);
        }

        using var http = CreateClientFrom(attacker);
        var response = await http.PostAsJsonAsync("/v1/auth/token", new { username = address, password = Password });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SuccessForgetsTheUsersOwnFailures()
    {
        var (address, client) = await ApiUsers.CreateAsync(host);
        client.Dispose();
        var from = IPAddress.Parse("127.0.0.6");

        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < CredentialHostFixture.AccountFailures - 1; i++)
            {
                Assert.False((await MailLogins.Pop3Async(host, address, $"typo-{i}", from)).Ok);
            }
            var login = await MailLogins.Pop3Async(host, address, Password, from);
            Assert.True(login.Ok, $"round {round}: {login.Reply}");
        }
    }

    private HttpClient CreateClientFrom(IPAddress from) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(from, 0));
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        },
    })
    { BaseAddress = host.BaseAddress };
}
