namespace Mail.Bench.Imap;

/// <summary>Settings of the IMAP load run.</summary>
public sealed record ImapLoadSettings(string Host, int Port, int Clients, int Users, string UserPattern, string Password, int Seconds, int BodyMessages,
    int WarmupSeconds, int? ServerPid)
{
    /// <summary>Reads `--host --port --clients --users --user-pattern --password --seconds --body-messages --warmup-seconds --server-pid`.</summary>
    public static ImapLoadSettings From(BenchArguments options) => new(
        options.Text("host", "127.0.0.1"),
        options.Int("port", 2993),
        options.Int("clients", 20),
        options.Int("users", 100),
        options.Text("user-pattern", "load{0}@bench.test"),
        options.Text("password", "bench-password"),
        options.Int("seconds", 30),
        // FETCH body and STORE \Seen pick among the first N messages, the seeded ones that no session expunges.
        options.Int("body-messages", 20),
        // Uncounted load first, in this process, so neither the server nor this client is still compiling its hot paths.
        options.Int("warmup-seconds", 10),
        options.Text("server-pid", "") is { Length: > 0 } pid ? int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture) : null);
}
