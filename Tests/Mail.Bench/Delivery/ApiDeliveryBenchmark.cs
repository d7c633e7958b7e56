using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Mail.Bench.Delivery;

/// <summary>
/// api-delivery: sender accounts made through the admin API send ~10 KB messages over POST /v1/send, one
/// worker per sender, into one recipient. Counts only sends answered 201 with the recipient filed; the host
/// acknowledges only after the blob and the mailbox rows are durable, so this is durable deliveries per second.
/// </summary>
public static class ApiDeliveryBenchmark
{
    private const string Password = "bench-password";

    /// <summary>Runs the benchmark and prints its figure line; exit code 1 if any send failed.</summary>
    public static async Task<int> RunAsync(ApiDeliverySettings settings)
    {
        var domain = settings.Recipient[(settings.Recipient.LastIndexOf('@') + 1)..];
        var run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var senders = Enumerable.Range(1, settings.Senders).Select(i => $"bench-{run}-s{i:D2}@{domain}").ToArray();
        var text = MessageText.Build(settings.Size);
        using var api = new MailApiClient(settings.Url, settings.Senders * 2);

        foreach (var sender in senders) await api.CreateAccountAsync(settings.AdminToken, sender, Password, null);
        var tokens = await Task.WhenAll(senders.Select(s => api.LoginAsync(s, Password)));
        Progress($"{senders.Length} senders created and logged in");

        var warmup = new SendTally(settings.WarmupPerSender * senders.Length, 1);
        await Task.WhenAll(tokens.Select(token => WorkAsync(api, token, settings.Recipient, text, "warm-up", warmup)));
        if (warmup.Failed > 0) return Report(warmup, "warm-up");
        Progress($"warm-up: {warmup.Delivered} sends");

        var tally = new SendTally(settings.Messages, Math.Max(100, settings.Messages / 10));
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(tokens.Select(token => WorkAsync(api, token, settings.Recipient, text, "bench", tally)));
        clock.Stop();
        if (tally.Failed > 0) Report(tally, "measured run");
        if (tally.Delivered < tally.Target) return 1;

        var seconds = clock.Elapsed.TotalSeconds;
        var kb = (settings.Size / 1024.0).ToString("0.#", CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"api-delivery: {tally.Delivered} messages of {kb} KB from {senders.Length} senders into {settings.Label} in {seconds:F1} s = {tally.Delivered / seconds:F0} msg/s"));
        return tally.Failed > 0 ? 1 : 0;
    }

    private static async Task WorkAsync(MailApiClient api, string token, string recipient, string text, string phase, SendTally tally)
    {
        var n = 0;
        while (tally.TryClaim())
        {
            n++;
            tally.Record(await api.SendAsync(token, recipient, $"{phase} message {n}", text));
        }
    }

    private static int Report(SendTally tally, string phase)
    {
        Progress($"{phase}: {tally.Failed} sends failed, {tally.Delivered} of {tally.Target} delivered{(tally.GaveUp ? "; gave up" : "")}");
        foreach (var (error, count) in tally.Errors().Take(10)) Progress($"  {count} x {error}");
        return 1;
    }

    private static void Progress(string message) => Console.Error.WriteLine($"api-delivery: {message}");
}
