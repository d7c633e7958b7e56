using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace Mail.Integration.Tests.Telemetry;

/// <summary>A host that reads the outbound queue gauges every second.</summary>
public sealed class OutboundGaugeHostFixture : MailHostFixture
{
    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Mail:Telemetry:QueueGaugeSeconds"] = "1" };
}

/// <summary>The outbound queue gauges on /metrics come from the queue's rows: a message to a remote recipient shows up by state.</summary>
public sealed class OutboundGaugeTests(OutboundGaugeHostFixture host) : IClassFixture<OutboundGaugeHostFixture>
{
    [Fact]
    public async Task AQueuedRemoteMessageShowsInTheOutboundGaugeByState()
    {
        using var alice = await host.LoginAsync("alice@example.test");
        var send = await alice.PostAsJsonAsync("/v1/send", new { to = new[] { "someone@remote.example" }, subject = "gauge", text = "counted" });
        Assert.Equal(HttpStatusCode.Created, send.StatusCode);

        using var admin = host.CreateAdminClient();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string exposition;
        do
        {
            await Task.Delay(500);
            exposition = await admin.GetStringAsync("/metrics");
        }
        while (!Regex.IsMatch(exposition, @"(?m)^mail_outbound_messages\{[^}]*state=""[a-z_]+""") && DateTime.UtcNow < deadline);

        // One row of the remote recipient, whatever state the sender has moved it to by now (queued, deferred, ...).
        Assert.Matches(@"(?m)^mail_outbound_messages\{[^}]*state=""[a-z_]+""[^}]*\} [1-9]", exposition);
        Assert.Matches(@"(?m)^mail_outbound_oldest_queued_age", exposition);
    }
}
