using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Mail.Integration.Tests.Telemetry;

/// <summary>/metrics: Prometheus text for holders of the admin token; a delivery moves the delivery, session and blob counters.</summary>
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

    private static async Task<string> ScrapeAsync(HttpClient admin)
    {
        using var response = await admin.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of a metric's samples whose labels contain <paramref name="label"/>.</summary>
    private static double Sum(string exposition, string metric, string label) =>
        Sample().Matches(exposition)
            .Where(m => m.Groups["name"].Value == metric && m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"(?m)^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<labels>[^}]*)\} (?<value>[0-9.eE+-]+)")]
    private static partial Regex Sample();
}
