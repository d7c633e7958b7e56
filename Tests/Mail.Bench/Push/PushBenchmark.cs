using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Mail.Bench.Bulk;
using Mail.Frontends.Http.Push;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Mail.Bench.Push;

/// <summary>
/// push: connects one SignalR client per account to /v1/hub, delivers mail over SMTP to the accounts in turn at a
/// steady rate, and prints the time from each SMTP 250 to the "added" event at the recipient's client (p50, p99, max),
/// events lost, and the silo's resident memory per connected client.
/// </summary>
public static class PushBenchmark
{
    /// <summary>Runs the benchmark; exit code 0 when every message's event arrived.</summary>
    public static async Task<int> RunAsync(BenchArguments options)
    {
        var url = new Uri(options.Required("url").TrimEnd('/') + "/");
        var smtpPort = options.Int("smtp-port", 2525);
        var clients = options.Int("clients", 1000);
        var messages = options.Int("messages", 2000);
        var rate = options.Int("rate", 50);
        var sessions = options.Int("sessions", 4);
        var pattern = options.Text("user-pattern", "push{0}@bench.test");
        var password = options.Text("password", "bench-password");
        var messagePack = options.Text("protocol", "json") == "messagepack";
        var serverPid = options.Int("server-pid", 0);

        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        var tokens = new string[clients];
        await Parallel.ForAsync(0, clients, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var response = await http.PostAsJsonAsync("v1/auth/token", new { username = Address(pattern, i), password }, ct);
            response.EnsureSuccessStatusCode();
            tokens[i] = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("access_token").GetString()!;
        });
        await Console.Error.WriteLineAsync($"push: {clients} tokens");

        // Per account, the times its messages' 250 came back and its "added" events arrived, matched in order: the
        // accounts are served in turn, so two messages to one account are a whole round apart.
        var sent = Enumerable.Range(0, clients).Select(_ => new ConcurrentQueue<long>()).ToArray();
        var arrived = Enumerable.Range(0, clients).Select(_ => new ConcurrentQueue<long>()).ToArray();
        var received = 0;
        var rssBefore = serverPid > 0 ? SiloMemory.Rss(serverPid) : 0;
        var connections = new HubConnection[clients];
        var connect = Stopwatch.StartNew();
        await Parallel.ForAsync(0, clients, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var token = tokens[i];
            var builder = new HubConnectionBuilder().WithUrl(new Uri(url, "v1/hub"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token));
            if (messagePack) builder.AddMessagePackProtocol();
            var connection = builder.Build();
            var index = i;
            connection.On<MailboxEventView>(MailboxHub.ChangedMethod, e =>
            {
                if (e.Kind != "added") return;
                foreach (var _ in e.MessageIds) arrived[index].Enqueue(Stopwatch.GetTimestamp());
                Interlocked.Add(ref received, e.MessageIds.Length);
            });
            await connection.StartAsync(ct);
            connections[i] = connection;
        });
        await Console.Error.WriteLineAsync($"push: {clients} clients connected in {connect.Elapsed.TotalSeconds:F1} s");
        // Settle, then measure: the silo's memory with every client connected and idle.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var rssConnected = serverPid > 0 ? SiloMemory.Rss(serverPid) : 0;

        var next = -1;
        var interval = TimeSpan.FromSeconds(sessions / (double)rate);
        var send = Stopwatch.StartNew();
        await Parallel.ForAsync(0, sessions, new ParallelOptions { MaxDegreeOfParallelism = sessions }, async (_, ct) =>
        {
            using var smtp = new SmtpClient();
            await smtp.ConnectAsync(url.Host, smtpPort, SecureSocketOptions.None, ct);
            using var pace = new PeriodicTimer(interval);
            while (true)
            {
                var n = Interlocked.Increment(ref next);
                if (n >= messages) break;
                var account = n % clients;
                await smtp.SendAsync(Message(Address(pattern, account), n), ct);
                sent[account].Enqueue(Stopwatch.GetTimestamp());
                await pace.WaitForNextTickAsync(ct);
            }
            await smtp.DisconnectAsync(true, ct);
        });
        var sending = send.Elapsed;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Volatile.Read(ref received) < messages && DateTime.UtcNow < deadline) await Task.Delay(50);

        var latencies = new List<double>(messages);
        for (var i = 0; i < clients; i++)
        {
            var s = sent[i].ToArray();
            var a = arrived[i].ToArray();
            for (var k = 0; k < Math.Min(s.Length, a.Length); k++)
            {
                // An event can beat the 250 to the client (the delivery commits before the reply is written): that is 0.
                latencies.Add(Math.Max(0, Stopwatch.GetElapsedTime(s[k], a[k]).TotalMilliseconds));
            }
        }
        latencies.Sort();
        var lost = messages - latencies.Count;
        foreach (var connection in connections) await connection.DisposeAsync();

        var perClient = clients > 0 && serverPid > 0 ? (rssConnected - rssBefore) / (double)clients / 1024 : 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"push: {clients} clients ({(messagePack ? "MessagePack" : "JSON")}), {messages} messages over SMTP at {messages / sending.TotalSeconds:F0}/s: " +
            $"250 to event p50 {Percentile(latencies, 0.50):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms, max {(latencies.Count > 0 ? latencies[^1] : 0):F1} ms, lost {lost}"));
        if (serverPid > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"push: silo memory per connected client {perClient:F1} KiB (RSS {rssBefore / 1048576.0:F0} MiB before the clients, {rssConnected / 1048576.0:F0} MiB with them)"));
        }
        return lost == 0 ? 0 : 1;
    }

    private static string Address(string pattern, int i) => string.Format(CultureInfo.InvariantCulture, pattern, i);

    private static MimeMessage Message(string to, int n)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("sender@remote.example"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = $"push {n}";
        message.Body = new TextPart("plain") { Text = "A message whose arrival is pushed.\r\n" };
        return message;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
