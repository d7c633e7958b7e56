using System.Text;
using System.Text.RegularExpressions;
using Mail.Bench.Delivery;
using Mail.Bench.Imap;
using Mail.Testing;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Mail.Bench.Chaos;

/// <summary>
/// The four kinds of load of the chaos run, each a loop of unique messages (the Subject carries the id). A message is
/// retried, through the next frontend, until it is acknowledged or the run's retry deadline passes; a retry is the same
/// message (same envelope and content for SMTP, same Idempotency-Key for the API), so the server may deduplicate it.
/// </summary>
public sealed partial class ChaosWorkers(ChaosSettings settings, ChaosLedger ledger, IReadOnlyList<ChaosFrontend> frontends)
{
    private long _next;

    private string NextId(string kind) => $"chaos-{kind}-{Interlocked.Increment(ref _next)}";

    private string User(int i) => $"chaos{i % settings.Users}@example.test";

    /// <summary>SMTP MX: a remote sender to a local user, one connection per message.</summary>
    public async Task MxAsync(int worker, CancellationToken stop, CancellationToken giveUp)
    {
        var f = worker;
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var id = NextId("mx");
            var to = User(worker + n);
            var body = Encoding.ASCII.GetBytes($"From: <load@remote.chaos>\r\nTo: <{to}>\r\nSubject: {id}\r\nMessage-ID: <{id}@remote.chaos>\r\n\r\n{id}\r\n");
            while (!giveUp.IsCancellationRequested)
            {
                var frontend = frontends[f++ % frontends.Count];
                string? refusal = null;
                var ok = await ledger.TimeAsync("mx", frontend.Name, async () =>
                {
                    refusal = await new RawSmtpClient("127.0.0.1", frontend.Mx).SendAsync("load@remote.chaos", to, body, giveUp);
                    return refusal is null;
                });
                if (ok)
                {
                    ledger.Accepted[(to, id)] = "mx";
                    break;
                }
                if (Permanent(refusal)) throw new InvalidOperationException($"MX refused {id} permanently: {refusal}");
                await Task.Delay(settings.RetryDelayMs, CancellationToken.None);
            }
        }
    }

    /// <summary>Submission (STARTTLS, AUTH): a local user to another local user and to a remote recipient (the outbound queue).</summary>
    public async Task SubmissionAsync(int worker, CancellationToken stop, CancellationToken giveUp)
    {
        var f = worker;
        SmtpClient? client = null;
        var from = User(worker);
        try
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var id = NextId("sub");
                var to = User(worker + 1 + n % Math.Max(1, settings.Users - 1));
                if (to == from) to = User(worker + 1);
                var remote = $"{id}@sink.chaos";
                var message = new MimeMessage();
                message.From.Add(MailboxAddress.Parse(from));
                message.To.Add(MailboxAddress.Parse(to));
                message.To.Add(MailboxAddress.Parse(remote));
                message.Subject = id;
                message.MessageId = $"{id}@chaos";
                message.Date = DateTimeOffset.UnixEpoch;
                message.Body = new TextPart("plain") { Text = id };
                while (!giveUp.IsCancellationRequested)
                {
                    var frontend = frontends[f % frontends.Count];
                    var ok = await ledger.TimeAsync("submission", frontend.Name, async () =>
                    {
                        if (client is null)
                        {
                            client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 30_000 };
                            await client.ConnectAsync("127.0.0.1", frontend.Submission, SecureSocketOptions.StartTls, giveUp);
                            await client.AuthenticateAsync(from, settings.Password, giveUp);
                        }
                        await client.SendAsync(message, giveUp);
                        return true;
                    });
                    if (ok)
                    {
                        ledger.Accepted[(to, id)] = "submission";
                        ledger.Outbound[remote] = true;
                        break;
                    }
                    client?.Dispose();
                    client = null;
                    f++;
                    await Task.Delay(settings.RetryDelayMs, CancellationToken.None);
                }
            }
        }
        finally
        {
            client?.Dispose();
        }
    }

    /// <summary>
    /// IMAP: APPEND to the user's INBOX (LITERAL+), then UID STORE +FLAGS (\Flagged) on what was appended. When a connection
    /// breaks with an APPEND's outcome unknown, the retry first searches for the message, as a careful client does.
    /// </summary>
    public async Task ImapAsync(int worker, CancellationToken stop, CancellationToken giveUp)
    {
        var f = worker;
        var user = User(worker);
        RawImapClient? client = null;
        async Task<RawImapClient> Connect()
        {
            if (client is not null) return client;
            var frontend = frontends[f % frontends.Count];
            var fresh = await RawImapClient.LoginAsync(frontend.Imap, user, settings.Password);
            if (!(await fresh.RunAsync("SELECT INBOX")).Ok) throw new InvalidOperationException("SELECT failed");
            return client = fresh;
        }
        async Task Drop()
        {
            if (client is not null) await client.DisposeAsync();
            client = null;
            f++;
            await Task.Delay(settings.RetryDelayMs, CancellationToken.None);
        }
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var id = NextId("imap");
                var content = $"From: <{user}>\r\nTo: <{user}>\r\nSubject: {id}\r\nMessage-ID: <{id}@chaos>\r\n\r\n{id}\r\n";
                long? uid = null;
                var unknown = false;
                while (uid is null && !giveUp.IsCancellationRequested)
                {
                    var target = frontends[f % frontends.Count].Name;
                    var ok = await ledger.TimeAsync("append", target, async () =>
                    {
                        var session = await Connect();
                        if (unknown)
                        {
                            var found = await SearchAsync(session, id);
                            if (found is not null)
                            {
                                uid = found;
                                return true;
                            }
                        }
                        unknown = true;
                        var run = await session.RunAsync($"APPEND INBOX {{{content.Length}+}}\r\n{content}");
                        if (!run.Ok)
                        {
                            unknown = false;
                            return false;
                        }
                        uid = long.Parse(AppendUid().Match(run.Completion).Groups[1].Value);
                        return true;
                    });
                    if (!ok) await Drop();
                }
                if (uid is null) break;
                ledger.Accepted[(user, id)] = "append";
                while (!giveUp.IsCancellationRequested)
                {
                    var target = frontends[f % frontends.Count].Name;
                    var ok = await ledger.TimeAsync("store", target, async () =>
                        (await (await Connect()).RunAsync($"UID STORE {uid} +FLAGS.SILENT (\\Flagged)")).Ok);
                    if (ok)
                    {
                        ledger.Flagged[(user, id)] = true;
                        break;
                    }
                    await Drop();
                }
            }
        }
        finally
        {
            if (client is not null) await client.DisposeAsync();
        }
    }

    /// <summary>HTTP API: POST /v1/send to another local user with an Idempotency-Key, through each frontend's API in turn.</summary>
    public async Task ApiAsync(int worker, IReadOnlyList<MailApiClient> apis, CancellationToken stop, CancellationToken giveUp)
    {
        var f = worker;
        var from = User(worker);
        string? token = null;
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var id = NextId("api");
            var to = User(worker + 1);
            while (!giveUp.IsCancellationRequested)
            {
                var i = f % frontends.Count;
                var ok = await ledger.TimeAsync("api", frontends[i].Name, async () =>
                {
                    token ??= await apis[i].LoginAsync(from, settings.Password);
                    return (await apis[i].SendAsync(token, to, id, id, idempotencyKey: id)).Delivered;
                });
                if (ok)
                {
                    ledger.Accepted[(to, id)] = "api";
                    break;
                }
                f++;
                await Task.Delay(settings.RetryDelayMs, CancellationToken.None);
            }
        }
    }

    private static async Task<long?> SearchAsync(RawImapClient session, string id)
    {
        long? found = null;
        var run = await session.RunAsync($"UID SEARCH HEADER Subject \"{id}\"", line =>
        {
            var text = Encoding.ASCII.GetString(line).Trim();
            if (text.StartsWith("* SEARCH ", StringComparison.Ordinal) && long.TryParse(text[9..].Split(' ')[0], out var uid)) found = uid;
        });
        if (!run.Ok) throw new InvalidOperationException("SEARCH failed");
        return found;
    }

    private static bool Permanent(string? refusal) => refusal is not null && Regex.IsMatch(refusal, @"(^|: )5\d\d ");

    [GeneratedRegex(@"APPENDUID \d+ (\d+)")]
    private static partial Regex AppendUid();
}
