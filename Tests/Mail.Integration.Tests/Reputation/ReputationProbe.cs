using System.Net.Http.Json;
using System.Text.Json;

namespace Mail.Integration.Tests.Reputation;

/// <summary>What the reputation tests look at: senders on their own domains, queue rows, receivers' counts per source IP.</summary>
public static class ReputationProbe
{
    /// <summary>A user on <paramref name="domain"/> (hosted for a tenant of the same name) and a logged-in client.</summary>
    public static async Task<(string Address, HttpClient Client)> SenderAsync(MailHostFixture host, string domain)
    {
        await ApiUsers.EnsureDomainAsync(host, domain);
        return await ApiUsers.CreateAsync(host, domain);
    }

    /// <summary>Messages a receiver took from <paramref name="ip"/>.</summary>
    public static int From(TestSmtpReceiver receiver, string ip) => receiver.Messages.Count(m => m.ClientAddress.ToString() == ip);

    /// <summary>Recipients a receiver took, over all its messages.</summary>
    public static int Recipients(TestSmtpReceiver receiver) => receiver.Messages.Sum(m => m.Recipients.Count);

    /// <summary>The sender's queue rows.</summary>
    public static async Task<JsonElement[]> RowsAsync(HttpClient sender) => (await sender.GetFromJsonAsync<JsonElement[]>("/v1/outbound"))!;

    /// <summary>Waits until <paramref name="condition"/> holds; fails with <paramref name="what"/> after <paramref name="seconds"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {seconds} s: {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the sender's rows are all delivered or held (none in flight, none due), so the clock may move.</summary>
    public static Task SettledAsync(HttpClient sender, int count) => WaitUntilAsync(async () =>
    {
        var rows = await RowsAsync(sender);
        return rows.Length == count && rows.All(r => r.GetProperty("status").GetString() is "delivered" or "failed"
            || r.GetProperty("hold_reason").ValueKind == JsonValueKind.String || r.GetProperty("attempts").GetInt32() > 0);
    }, $"{count} rows delivered, failed, deferred or held");

    /// <summary>A property of a JSON object as a string (null when absent or null).</summary>
    public static string? Text(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
