using Mail.Bench.Delivery;

namespace Mail.Bench.Outbound;

/// <summary>
/// outbound-fill: queues N messages of a given size for remote recipients through POST /v1/send (each signed
/// with DKIM as it is queued), one recipient each, from 20 concurrent workers. Run with the sender switched
/// off, so the queue is full when outbound-drain starts measuring.
/// </summary>
public static class OutboundFill
{
    /// <summary>Fills the queue; exit code 1 if any send was not queued.</summary>
    public static async Task<int> RunAsync(BenchArguments options)
    {
        var url = new Uri(options.Required("url"));
        var messages = options.Int("messages", 10_000);
        var sender = options.Text("sender", "sender@bench.test");
        var domain = options.Text("domain", "remote.bench");
        var text = MessageText.Build(options.Int("size", 10_240));
        using var api = new MailApiClient(url, 40);
        await api.CreateAccountAsync(options.Required("admin-token"), sender, "bench-password", null);
        var token = await api.LoginAsync(sender, "bench-password");

        var tally = new SendTally(messages, Math.Max(100, messages / 10));
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            while (tally.TryClaim())
            {
                var i = Interlocked.Increment(ref next);
                tally.Record(await api.SendAsync(token, $"r{i}@{domain}", $"outbound bench {i}", text, expected: "queued"));
            }
        })));
        await Console.Error.WriteLineAsync($"outbound-fill: {tally.Delivered} of {messages} queued, {tally.Failed} failed");
        foreach (var (error, count) in tally.Errors().Take(5)) await Console.Error.WriteLineAsync($"  {count} x {error}");
        return tally.Delivered == messages ? 0 : 1;
    }
}
