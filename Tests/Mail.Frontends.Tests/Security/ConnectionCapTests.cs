using System.Diagnostics;
using System.Net;
using Mail.Frontends.Tests.Smtp;

namespace Mail.Frontends.Tests.Security;

/// <summary>
/// Each listener takes at most a configured number of sessions from all clients together: a connection over it, from an
/// address that holds no session, gets the protocol's busy reply and is closed, while the admitted sessions go on.
/// </summary>
[Collection(ConnectionCapHostCollection.Name)]
public sealed class ConnectionCapTests(ConnectionCapHostFixture host)
{
    [Fact]
    public Task SmtpConnectionOverTheListenerCapGets421AndIsClosedWhileTheCapHolds() =>
        AssertCapAsync(host.SmtpPort, "220 localhost ESMTP Mail", "421 4.7.0 localhost Error: too many connections", "NOOP", "250 2.0.0 Ok");

    [Fact]
    public Task ImapConnectionOverTheListenerCapGetsByeAndIsClosedWhileTheCapHolds() =>
        AssertCapAsync(host.ImapPort, "* OK [CAPABILITY ", "* BYE [UNAVAILABLE] Too many connections, try again later", "n1 NOOP", "n1 OK NOOP completed");

    [Fact]
    public Task Pop3ConnectionOverTheListenerCapGetsSysTempAndIsClosedWhileTheCapHolds() =>
        AssertCapAsync(host.Pop3Port, "+OK Mail POP3 server ready", "-ERR [SYS/TEMP] too many connections, try again later", "NOOP", "-ERR NOOP is not valid in the AUTHORIZATION state");

    /// <summary>127.0.0.<paramref name="n"/>: every client here has an address of its own, so only the listener's cap can refuse it.</summary>
    private static IPAddress Client(int n) => new([127, 0, 0, (byte)n]);

    private static async Task AssertCapAsync(int port, string greeting, string busy, string command, string reply)
    {
        var held = new List<SmtpTranscript>();
        try
        {
            for (var n = 1; n <= ConnectionCapHostFixture.MaxConnections; n++)
            {
                var client = await SmtpTranscript.ConnectAsync(port, from: Client(n));
                held.Add(client);
                await client.ExpectLineStartsWithAsync(greeting);
            }

            foreach (var n in new[] { 10, 11, 12 })
            {
                await using var extra = await SmtpTranscript.ConnectAsync(port, from: Client(n));
                await extra.ExpectAsync(busy);
                await extra.ExpectClosedAsync();
            }
            foreach (var client in held)
            {
                await client.CommandAsync(command);
                await client.ExpectAsync(reply);
            }

            await held[0].DisposeAsync();
            held.RemoveAt(0);
            // The server frees the slot when it sees the close, which takes a moment.
            var clock = Stopwatch.StartNew();
            while (true)
            {
                await using var next = await SmtpTranscript.ConnectAsync(port, from: Client(20));
                var line = await next.ReadLineAsync();
                if (line?.StartsWith(greeting, StringComparison.Ordinal) == true) break;
                Assert.Equal(busy + "\r\n", line);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "the slot of the closed session was not released");
                await Task.Delay(50);
            }
        }
        finally
        {
            foreach (var client in held) await client.DisposeAsync();
        }
    }
}
