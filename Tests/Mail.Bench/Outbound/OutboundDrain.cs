using System.Diagnostics;
using System.Globalization;
using System.Net;
using Mail.Testing;
using Npgsql;

namespace Mail.Bench.Outbound;

/// <summary>
/// outbound-drain: the remote side of the outbound benchmark. Runs a DNS server (MX of the bench domain →
/// the sink's address) and an SMTP sink that accepts everything, writes their endpoints to files for the
/// script to start the silo with, then times the silo draining its queue: from the warm-up-th arrival until
/// the database says every row is delivered. Prints the rate and the CPU per message over that window of the silo,
/// PostgreSQL (postmaster and backends) and this process (the sink and DNS server).
/// </summary>
public static class OutboundDrain
{
    /// <summary>Runs until the queue is drained or the timeout passes; exit code 1 on a timeout or a wrong count.</summary>
    public static async Task<int> RunAsync(BenchArguments options)
    {
        var messages = options.Int("messages", 10_000);
        var warmup = options.Int("warmup", 1000);
        var domain = options.Text("domain", "remote.bench");
        var directory = options.Required("dir");
        var db = options.Required("db");

        using var dns = new TestDnsServer();
        dns.AddMx(domain, 10, "mx." + domain).AddA("mx." + domain, options.Text("sink-ip", "127.0.0.5"));
        var port = FreePort.Next();
        await using var sink = TestSmtpReceiver.Start(IPAddress.Parse(options.Text("sink-ip", "127.0.0.5")), port,
            new TestSmtpReceiverOptions { HostName = "mx." + domain, Chunking = options.Text("chunking", "no") == "yes" });
        await File.WriteAllTextAsync(Path.Combine(directory, "bench-dns"), dns.Endpoint);
        await File.WriteAllTextAsync(Path.Combine(directory, "bench-sink-port"), port.ToString(CultureInfo.InvariantCulture));
        Progress($"DNS on {dns.Endpoint}, sink on {sink.EndPoint}; waiting for the silo");

        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (sink.MessageCount < warmup && DateTime.UtcNow < deadline) await Task.Delay(5);
        var pid = int.Parse(await File.ReadAllTextAsync(options.Required("server-pid-file")), CultureInfo.InvariantCulture);
        var pgPid = options.Text("pg-pid-file", "") is { Length: > 0 } pgFile
            ? int.Parse(File.ReadLines(pgFile).First(), CultureInfo.InvariantCulture) : (int?)null;
        var cpuBefore = ServerCpu.Read(pid);
        var pgBefore = ServerCpu.ReadTree(pgPid);
        var benchBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var startCount = sink.MessageCount;
        var clock = Stopwatch.StartNew();
        await using var dataSource = NpgsqlDataSource.Create(db);
        long delivered = 0;
        do
        {
            await Task.Delay(20);
            // The database is asked only once every message has arrived, so the polling costs PostgreSQL nothing meanwhile.
            if (sink.MessageCount < messages) continue;
            await using var command = dataSource.CreateCommand("SELECT count(*) FROM outbound_queue WHERE status = 'delivered'");
            delivered = (long)(await command.ExecuteScalarAsync())!;
        }
        while (delivered < messages && DateTime.UtcNow < deadline);
        clock.Stop();
        var cpu = ServerCpu.Read(pid) - cpuBefore;
        var pgCpu = ServerCpu.ReadTree(pgPid) - pgBefore;
        var sinkCpu = Process.GetCurrentProcess().TotalProcessorTime - benchBefore;
        if (delivered < messages)
        {
            Progress($"timed out: {delivered} of {messages} delivered");
            return 1;
        }

        var timed = messages - startCount;
        var seconds = clock.Elapsed.TotalSeconds;
        var signed = sink.Messages.Count(m => m.Data.AsSpan().StartsWith("DKIM-Signature:"u8));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"outbound: {timed} messages in {seconds:F1} s = {timed / seconds:F0} msg/s ({messages} queued, {startCount} sent as warm-up, {signed} of {sink.MessageCount} received DKIM-signed, {sink.ConnectionCount} connections)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"outbound: silo CPU {cpu.Total.TotalMilliseconds / timed:F2} ms per message (user {cpu.User.TotalMilliseconds / timed:F2}, system {cpu.System.TotalMilliseconds / timed:F2}); PostgreSQL {pgCpu.Total.TotalMilliseconds / timed:F2} ms; sink and DNS {sinkCpu.TotalMilliseconds / timed:F2} ms"));
        var duplicates = sink.MessageCount - sink.Messages.SelectMany(m => m.Recipients).Distinct().Count();
        return duplicates == 0 && sink.MessageCount == messages ? 0 : Fail($"{sink.MessageCount} received for {messages} queued ({duplicates} duplicates)");
    }

    private static int Fail(string message)
    {
        Progress(message);
        return 1;
    }

    private static void Progress(string message) => Console.Error.WriteLine($"outbound-drain: {message}");
}
