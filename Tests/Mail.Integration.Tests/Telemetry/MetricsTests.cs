using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Mail.Integration.Tests.Telemetry;

/// <summary>/metrics: Prometheus text for holders of the admin token; a delivery moves the delivery, session and blob counters; failing commands count by protocol and command.</summary>
public sealed partial class MetricsTests(MailHostFixture host) : IClassFixture<MailHostFixture>
{
    [Fact]
    public async Task MetricsNeedTheAdminToken()
    {
        using var anonymous = host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        anonymous.DefaultRequestHeaders.Add("X-Admin-Token", "guess");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task ADeliveryMovesTheDeliverySessionAndBlobCounters()
    {
        using var admin = host.CreateAdminClient();
        var before = await ScrapeAsync(admin);

        var refusal = await new RawSmtpClient("127.0.0.1", host.SmtpPort).SendAsync("x@remote.example", "bob@example.test",
            Encoding.ASCII.GetBytes("From: <x@remote.example>\r\nSubject: metrics\r\n\r\ncounted\r\n"), CancellationToken.None);
        Assert.Null(refusal);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        string after;
        do
        {
            await Task.Delay(500);
            after = await ScrapeAsync(admin);
        }
        while (Sum(after, "mail_deliveries_total", "result=\"delivered\"") <= Sum(before, "mail_deliveries_total", "result=\"delivered\"") && DateTime.UtcNow < deadline);

        Assert.True(Sum(after, "mail_deliveries_total", "result=\"delivered\"") >= Sum(before, "mail_deliveries_total", "result=\"delivered\"") + 1, after);
        Assert.True(Sum(after, "mail_protocol_sessions_total", "protocol=\"smtp\"") >= Sum(before, "mail_protocol_sessions_total", "protocol=\"smtp\"") + 1);
        Assert.True(Sum(after, "mail_blob_duration_seconds_count", "operation=\"put\"") >= Sum(before, "mail_blob_duration_seconds_count", "operation=\"put\"") + 1);
        // Orleans' and Npgsql's own meters are exported too: grain activations and PostgreSQL command durations.
        Assert.Contains("orleans_", after);
        Assert.Matches("(?m)^db_client_", after);
    }

    [Fact]
    public async Task FailingImapAndPop3CommandsAreCountedByCommand()
    {
        using var admin = host.CreateAdminClient();
        var before = await ScrapeAsync(admin);

        // IMAP: SELECT before logging in is a BAD of SELECT (RFC 9051 §6.3.2); a made-up command counts as "unknown".
        var imap = await TranscriptAsync(host.ImapPort, "a1 SELECT INBOX", "a2 FROBNICATE", "a3 LOGOUT");
        Assert.Contains("a1 BAD", imap);
        Assert.Contains("a2 BAD", imap);
        // POP3: STAT in the AUTHORIZATION state is an -ERR of STAT (RFC 1939 §5).
        var pop3 = await TranscriptAsync(host.Pop3Port, "STAT", "QUIT");
        Assert.Contains("-ERR", pop3);

        string[] imapSelect = ["protocol=\"imap\"", "command=\"SELECT\""];
        string[] imapUnknown = ["protocol=\"imap\"", "command=\"unknown\""];
        string[] pop3Stat = ["protocol=\"pop3\"", "command=\"STAT\""];
        // The exporter caches a scrape for a moment, so the next one may still be the first: ask until it moves.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        string after;
        do
        {
            await Task.Delay(500);
            after = await ScrapeAsync(admin);
        }
        while (Sum(after, "mail_protocol_command_errors_total", pop3Stat) <= Sum(before, "mail_protocol_command_errors_total", pop3Stat) && DateTime.UtcNow < deadline);
        Assert.True(Sum(after, "mail_protocol_command_errors_total", imapSelect) >= Sum(before, "mail_protocol_command_errors_total", imapSelect) + 1, after);
        Assert.True(Sum(after, "mail_protocol_command_errors_total", imapUnknown) >= Sum(before, "mail_protocol_command_errors_total", imapUnknown) + 1, after);
        Assert.True(Sum(after, "mail_protocol_command_errors_total", pop3Stat) >= Sum(before, "mail_protocol_command_errors_total", pop3Stat) + 1, after);
        // The made-up name never becomes a label.
        Assert.DoesNotContain("FROBNICATE", after);
    }

    /// <summary>Sends each line after the greeting and the previous answer; returns everything the server wrote.</summary>
    private static async Task<string> TranscriptAsync(int port, params string[] lines)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var transcript = new StringBuilder((await reader.ReadLineAsync()) + "\n");
        foreach (var line in lines)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
            // One answer line each for these commands (IMAP LOGOUT adds an untagged BYE first).
            var answer = await reader.ReadLineAsync();
            transcript.Append(answer).Append('\n');
            if (answer?.StartsWith("* BYE", StringComparison.Ordinal) == true) transcript.Append(await reader.ReadLineAsync()).Append('\n');
        }
        return transcript.ToString();
    }

    private static async Task<string> ScrapeAsync(HttpClient admin)
    {
        using var response = await admin.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of a metric's samples whose labels contain every one of <paramref name="labels"/>.</summary>
    private static double Sum(string exposition, string metric, params string[] labels) =>
        Sample().Matches(exposition)
            .Where(m => m.Groups["name"].Value == metric && labels.All(l => m.Groups["labels"].Value.Contains(l, StringComparison.Ordinal)))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"(?m)^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<labels>[^}]*)\} (?<value>[0-9.eE+-]+)")]
    private static partial Regex Sample();
}
