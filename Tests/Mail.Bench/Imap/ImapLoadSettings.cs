namespace Mail.Bench.Imap;

/// <summary>Settings of the IMAP load run.</summary>
public sealed record ImapLoadSettings(string Host, int Port, int Clients, int Users, string UserPattern, string Password, int Seconds, int BodyMessages)
{
    /// <summary>Reads `--host --port --clients --users --user-pattern --password --seconds --body-messages`.</summary>
    public static ImapLoadSettings From(BenchArguments options) => new(
        options.Text("host", "127.0.0.1"),
        options.Int("port", 2993),
        options.Int("clients", 20),
        options.Int("users", 100),
        options.Text("user-pattern", "load{0}@bench.test"),
        options.Text("password", "bench-password"),
        options.Int("seconds", 30),
        // FETCH body and STORE \Seen pick among the first N messages, the seeded ones that no session expunges.
        options.Int("body-messages", 20));
}
