using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mail.Testing;

namespace Mail.Bench.Smtp;

/// <summary>N messages over S concurrent sessions, a new connection per message, to R local mailboxes; prints one figure line.</summary>
public static class SmtpLoadBenchmark
{
    /// <summary>Runs the load and prints `smtp-load: N messages in S s = R msg/s`.</summary>
    public static async Task<int> RunAsync(SmtpLoadSettings settings)
    {
        var client = new RawSmtpClient(settings.Host, settings.Port);
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        // Uncounted messages first, so that the figure is the steady state, not the JIT tiering up.
        await RunAsync(client, settings, settings.Warmup, new System.Collections.Concurrent.ConcurrentBag<string>());

        var serverCpu = ServerCpu.Read(settings.ServerPid);
        var clock = Stopwatch.StartNew();
        var accepted = await RunAsync(client, settings, settings.Messages, failures);
        clock.Stop();
        var serverCpuUsed = ServerCpu.Read(settings.ServerPid) - serverCpu;

        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"smtp-load: {accepted} messages of {settings.Label} in {seconds:F1} s = {accepted / seconds:F0} msg/s ({settings.Sessions} sessions, new connection per message, {settings.Recipients} mailboxes)"));
        if (settings.ServerPid is not null && accepted > 0)
        {
            // Where the time goes: the rest of the machine is this load generator and PostgreSQL.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"smtp-load: server CPU {serverCpuUsed.Total.TotalMilliseconds / accepted:F2} ms per message (user {serverCpuUsed.User.TotalMilliseconds / accepted:F2}, system {serverCpuUsed.System.TotalMilliseconds / accepted:F2})"));
        }
        foreach (var failure in failures.GroupBy(f => f).Take(5)) await Console.Error.WriteLineAsync($"  {failure.Count()} x {failure.Key}");
        return failures.IsEmpty ? 0 : 1;
    }

    /// <summary>Sends <paramref name="messages"/> messages over the configured sessions; returns how many got 250.</summary>
    private static async Task<int> RunAsync(RawSmtpClient client, SmtpLoadSettings settings, int messages, System.Collections.Concurrent.ConcurrentBag<string> failures)
    {
        var next = -1;
        var accepted = 0;
        await Task.WhenAll(Enumerable.Range(0, settings.Sessions).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < messages; i = Interlocked.Increment(ref next))
            {
                var to = string.Format(CultureInfo.InvariantCulture, settings.RecipientPattern, i % settings.Recipients);
                // A server that stops answering counts as a failure after a minute instead of stalling the run.
                using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
                try
                {
                    var refusal = await client.SendAsync($"sender{i % 50}@load.example", to, Body(i, settings.SizeBytes), deadline.Token);
                    if (refusal is null) Interlocked.Increment(ref accepted);
                    else failures.Add(refusal);
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
                {
                    failures.Add(e.Message);
                }
            }
        })));
        return accepted;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte[]> Texts = new();

    /// <summary>A message of about <paramref name="size"/> bytes, dot-safe, with a unique Message-ID; the body text is built once per size.</summary>
    public static byte[] Body(int index, int size)
    {
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"From: <sender@load.example>\r\nTo: <load@bench.test>\r\nSubject: load {index}\r\nMessage-ID: <{Guid.NewGuid():N}@load.example>\r\nDate: {DateTimeOffset.UtcNow:r}\r\n\r\n"));
        var text = Texts.GetOrAdd(size, s =>
        {
            const string line = "The quick brown fox jumps over the lazy dog, again and again and again.\r\n";
            var builder = new StringBuilder(s + line.Length);
            while (builder.Length < s - 200) builder.Append(line);
            return Encoding.ASCII.GetBytes(builder.ToString());
        });
        var message = new byte[header.Length + text.Length];
        header.CopyTo(message, 0);
        text.CopyTo(message, header.Length);
        return message;
    }
}
