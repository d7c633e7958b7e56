using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace Mail.Bench.Imap;

/// <summary>C concurrent IMAP clients over U users, each looping a session (connect, LOGIN, SELECT, FETCH, STORE, APPEND, EXPUNGE, LOGOUT); prints ops/s per command.</summary>
public static class ImapLoadBenchmark
{
    private static readonly string[] Commands =
        ["CONNECT", "LOGIN", "SELECT", "FETCH headers", "FETCH body", "STORE \\Seen", "APPEND", "STORE \\Deleted", "EXPUNGE", "LOGOUT"];

    /// <summary>Runs the warm-up, then the timed load, and prints one figure line per command, then a summary line.</summary>
    public static async Task<int> RunAsync(ImapLoadSettings settings)
    {
        await RunAsync(settings, settings.WarmupSeconds, report: false);
        return await RunAsync(settings, settings.Seconds, report: true);
    }

    private static async Task<int> RunAsync(ImapLoadSettings settings, int runSeconds, bool report)
    {
        var serverCpu = ServerCpu.Read(settings.ServerPid);
        var deadline = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(runSeconds);
        var errors = new ConcurrentQueue<string>();
        var samples = Enumerable.Range(0, settings.Clients).Select(_ => Commands.ToDictionary(c => c, _ => new List<double>())).ToArray();
        var failures = Enumerable.Range(0, settings.Clients).Select(_ => Commands.ToDictionary(c => c, _ => 0)).ToArray();

        await Task.WhenAll(Enumerable.Range(0, settings.Clients).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            var cycle = 0;
            while (deadline.Elapsed < limit)
            {
                var user = string.Format(CultureInfo.InvariantCulture, settings.UserPattern, random.Next(settings.Users));
                string current = Commands[0];
                using var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true, CheckCertificateRevocation = false };
                async Task<T> Timed<T>(string command, Func<Task<T>> action)
                {
                    current = command;
                    var clock = Stopwatch.StartNew();
                    var result = await action();
                    samples[worker][command].Add(clock.Elapsed.TotalMilliseconds);
                    return result;
                }
                Task Time(string command, Func<Task> action) => Timed(command, async () => { await action(); return true; });
                try
                {
                    await Time("CONNECT", () => client.ConnectAsync(settings.Host, settings.Port, SecureSocketOptions.SslOnConnect));
                    client.AuthenticationMechanisms.Clear(); // plain LOGIN, not AUTHENTICATE
                    await Time("LOGIN", () => client.AuthenticateAsync(user, settings.Password));
                    var inbox = client.Inbox;
                    await Time("SELECT", () => inbox.OpenAsync(FolderAccess.ReadWrite));
                    var count = inbox.Count;
                    if (count > 0)
                    {
                        await Timed("FETCH headers", () => inbox.FetchAsync(Math.Max(0, count - 10), count - 1, MessageSummaryItems.Envelope | MessageSummaryItems.Flags | MessageSummaryItems.UniqueId));
                        var index = random.Next(Math.Min(count, settings.BodyMessages));
                        await Timed("FETCH body", () => inbox.GetMessageAsync(index));
                        await Time("STORE \\Seen", () => inbox.AddFlagsAsync(index, MessageFlags.Seen, silent: true));
                    }
                    var uid = await Timed("APPEND", () => inbox.AppendAsync(Message(worker, cycle++, user), MessageFlags.None));
                    if (uid is { } appended)
                    {
                        await Time("STORE \\Deleted", () => inbox.AddFlagsAsync(appended, MessageFlags.Deleted, silent: true));
                    }
                    else
                    {
                        throw new InvalidOperationException("APPEND returned no UID (no UIDPLUS APPENDUID)");
                    }
                    await Time("EXPUNGE", () => inbox.ExpungeAsync());
                    await Time("LOGOUT", () => client.DisconnectAsync(quit: true));
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    failures[worker][current]++;
                    if (errors.Count < 20) errors.Enqueue($"{current} as {user}: {e.GetType().Name}: {e.Message}");
                    try { await client.DisconnectAsync(quit: false); } catch (Exception) { /* already broken */ }
                }
            }
        })));
        var seconds = deadline.Elapsed.TotalSeconds;
        var serverCpuUsed = ServerCpu.Read(settings.ServerPid) - serverCpu;

        var failed = failures.Sum(f => f.Values.Sum());
        if (!report) return failed == 0 ? 0 : 1;
        failed = 0;
        foreach (var command in Commands)
        {
            var times = samples.SelectMany(s => s[command]).Order().ToArray();
            var bad = failures.Sum(f => f[command]);
            failed += bad;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"imap-load: {command} {times.Length} ops in {seconds:F1} s = {times.Length / seconds:F1} ops/s (p50 {Percentile(times, 0.50):F0} ms, p99 {Percentile(times, 0.99):F0} ms){(bad > 0 ? $", {bad} failed" : "")}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"imap-load: {settings.Clients} clients, {settings.Users} users, {settings.Seconds} s after {settings.WarmupSeconds} s of warm-up"));
        var sessions = samples.Sum(s => s["LOGOUT"].Count);
        if (settings.ServerPid is not null && sessions > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"imap-load: server CPU {serverCpuUsed.Total.TotalMilliseconds / sessions:F2} ms per session (user {serverCpuUsed.User.TotalMilliseconds / sessions:F2}, system {serverCpuUsed.System.TotalMilliseconds / sessions:F2})"));
        }
        foreach (var error in errors.Take(5)) await Console.Error.WriteLineAsync($"  {error}");
        return failed == 0 ? 0 : 1;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    /// <summary>A text message of about 5 KB.</summary>
    private static MimeMessage Message(int worker, int cycle, string to)
    {
        var text = new StringBuilder(5 * 1024 + 80);
        const string line = "The quick brown fox jumps over the lazy dog, again and again and again.\r\n";
        while (text.Length < 5 * 1024) text.Append(line);
        var message = new MimeMessage { Subject = string.Create(CultureInfo.InvariantCulture, $"append {worker}/{cycle}"), Body = new TextPart("plain") { Text = text.ToString() } };
        message.From.Add(MailboxAddress.Parse("sender@load.example"));
        message.To.Add(MailboxAddress.Parse(to));
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("load.example");
        message.Date = DateTimeOffset.UtcNow;
        return message;
    }
}
