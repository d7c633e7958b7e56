using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mail.Bench.Delivery;
using Mail.Testing;

namespace Mail.Bench.Bulk;

/// <summary>
/// bulk: one bulk job of N recipients, end to end. Runs the remote side (a DNS server: the sending domain's records and
/// MX remote.bench → the sink; an SMTP sink that accepts everything and keeps nothing but counts), writes their
/// endpoints for the script to start the silo with, waits for the silo, publishes and verifies the sending domain
/// (SPF, DKIM, DMARC, as bulk needs), makes a tenant key, streams the job in, and watches it: the time to 202, then
/// the time until every message is delivered, the silo's CPU and its resident memory as the job goes.
/// </summary>
public static class BulkBenchmark
{
    /// <summary>Runs the job; exit code 1 unless every message arrived exactly once, signed, with its unsubscribe fields.</summary>
    public static async Task<int> RunAsync(BenchArguments options)
    {
        var messages = options.Int("messages", 100_000);
        var size = options.Int("size", 10_240);
        var directory = options.Required("dir");
        var url = new Uri(options.Required("url"));
        var domain = options.Text("domain", "remote.bench");
        var senderDomain = options.Text("sender-domain", "bench.test");
        var sinkIp = IPAddress.Parse(options.Text("sink-ip", "127.0.0.5"));

        using var dns = new TestDnsServer();
        dns.AddMx(domain, 10, "mx." + domain).AddA("mx." + domain, sinkIp.ToString());
        var received = new HashSet<string>(StringComparer.Ordinal);
        int duplicates = 0, complete = 0;
        var port = FreePort.Next();
        await using var sink = TestSmtpReceiver.Start(sinkIp, port, new TestSmtpReceiverOptions
        {
            HostName = "mx." + domain,
            KeepMessages = false,
            Observer = m =>
            {
                var head = System.Text.Encoding.ASCII.GetString(m.Data, 0, Math.Min(m.Data.Length, 8192));
                var whole = head.StartsWith("DKIM-Signature:", StringComparison.Ordinal) && head.Contains("\r\nList-Unsubscribe:", StringComparison.Ordinal)
                    && head.Contains("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click", StringComparison.Ordinal);
                lock (received)
                {
                    if (!received.Add(m.Recipients[0])) duplicates++;
                    if (whole) complete++;
                }
            },
        });
        await File.WriteAllTextAsync(Path.Combine(directory, "bench-dns"), dns.Endpoint);
        await File.WriteAllTextAsync(Path.Combine(directory, "bench-sink-port"), port.ToString(CultureInfo.InvariantCulture));
        Progress($"DNS on {dns.Endpoint}, sink on {sink.EndPoint}; waiting for the silo");

        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(30) };
        await WaitForHealthAsync(http);
        var adminToken = (await File.ReadAllTextAsync(Path.Combine(directory, "admin-token"))).Trim();
        var key = await PrepareTenantAsync(http, dns, adminToken, senderDomain);
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        var pid = int.Parse(await File.ReadAllTextAsync(options.Required("server-pid-file")), CultureInfo.InvariantCulture);

        var delivered = 0;
        var rssBefore = SiloMemory.Rss(pid);
        await using var memory = new SiloMemory(pid, TimeSpan.FromMilliseconds(200), () => (double)Volatile.Read(ref delivered) / messages);
        var cpuBefore = ServerCpu.Read(pid);
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
        var clock = Stopwatch.StartNew();
        var body = new BulkJobBody($"Bench News <news@{senderDomain}>", MessageText.Build(size), messages, domain);
        body.Headers.ContentType = new("application/json");
        using var accepted = await http.PostAsync("/v1/bulk", body);
        var acceptSeconds = clock.Elapsed.TotalSeconds;
        if (accepted.StatusCode != HttpStatusCode.Accepted)
        {
            Progress($"POST /v1/bulk answered {(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync()}");
            return 1;
        }
        var id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bulk: job of {messages} recipients ({body.Length / 1024.0 / 1024.0:F1} MB of JSON, a {size / 1024.0:0.#} KB text each) accepted in {acceptSeconds:F2} s (202, stored)"));

        var deadline = DateTime.UtcNow.AddMinutes(60);
        JsonElement status = default;
        var reported = DateTime.UtcNow;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            status = await http.GetFromJsonAsync<JsonElement>($"/v1/bulk/{id}");
            var counts = status.GetProperty("counts");
            Volatile.Write(ref delivered, counts.GetProperty("delivered").GetInt32());
            if (DateTime.UtcNow - reported > TimeSpan.FromSeconds(15))
            {
                reported = DateTime.UtcNow;
                Progress($"{clock.Elapsed.TotalSeconds:F0} s: {counts}, sink {sink.MessageCount}, silo RSS {SiloMemory.Rss(pid) / 1048576} MB");
            }
            if (delivered + counts.GetProperty("failed").GetInt32() + counts.GetProperty("suppressed").GetInt32() >= messages) break;
        }
        clock.Stop();
        var cpu = ServerCpu.Read(pid) - cpuBefore;
        var seconds = clock.Elapsed.TotalSeconds;
        var loadAfter = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
        await memory.DisposeAsync();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bulk: {delivered} messages in {seconds:F1} s = {delivered / seconds:F0} msg/s (from the POST to the last delivery; {complete} of {sink.MessageCount} received DKIM-signed with List-Unsubscribe and -Post, {duplicates} duplicates, {sink.ConnectionCount} connections)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bulk: silo CPU {cpu.Total.TotalMilliseconds / Math.Max(1, delivered):F2} ms per message (user {cpu.User.TotalMilliseconds / Math.Max(1, delivered):F2}, system {cpu.System.TotalMilliseconds / Math.Max(1, delivered):F2}); load average {string.Join(' ', load)} before, {string.Join(' ', loadAfter)} after"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bulk: silo RSS {Mb(rssBefore)} MB before the job, peak {Mb(memory.Peak)} MB; at 10/25/50/75/90/100% delivered: {string.Join(" / ", new[] { 0.1, 0.25, 0.5, 0.75, 0.9, 1.0 }.Select(p => Mb(memory.At(p))))} MB"));
        var ok = delivered == messages && sink.MessageCount == messages && duplicates == 0 && complete == messages;
        if (!ok) Progress($"incomplete: {status}");
        return ok ? 0 : 1;
    }

    private static long Mb(long bytes) => bytes / (1024 * 1024);

    private static async Task WaitForHealthAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(500);
        }
        throw new TimeoutException("the silo did not become healthy");
    }

    /// <summary>Hosts the sending domain, publishes its records on the bench's DNS server, verifies them, and returns a tenant key.</summary>
    private static async Task<string> PrepareTenantAsync(HttpClient http, TestDnsServer dns, string adminToken, string senderDomain)
    {
        async Task<JsonElement> Admin(HttpMethod method, string path, object? body = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Add("X-Admin-Token", adminToken);
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        await Admin(HttpMethod.Post, "/v1/admin/domains", new { domain = senderDomain });
        foreach (var record in (await Admin(HttpMethod.Get, $"/v1/admin/domains/{senderDomain}/dns")).GetProperty("records").EnumerateArray())
        {
            var (type, name, value) = (record.GetProperty("type").GetString()!, record.GetProperty("name").GetString()!, record.GetProperty("value").GetString()!);
            if (type == "MX") dns.AddMx(name, int.Parse(value.Split(' ')[0], CultureInfo.InvariantCulture), value.Split(' ')[1]);
            else dns.AddTxt(name, value.Chunk(255).Select(c => new string(c)).ToArray());
        }
        var verified = await Admin(HttpMethod.Post, $"/v1/admin/domains/{senderDomain}/verify");
        if (verified.GetProperty("records").EnumerateArray().Any(r => r.GetProperty("status").GetString() != "verified"))
        {
            throw new InvalidOperationException($"the sending domain's records did not verify: {verified}");
        }
        return (await Admin(HttpMethod.Post, $"/v1/admin/tenants/{senderDomain}/api-keys", new { name = "bench" })).GetProperty("secret").GetString()!;
    }

    private static void Progress(string message) => Console.Error.WriteLine($"bulk: {message}");
}
