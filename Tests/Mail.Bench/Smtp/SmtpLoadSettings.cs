namespace Mail.Bench.Smtp;

/// <summary>Settings of the SMTP load run.</summary>
public sealed record SmtpLoadSettings(string Host, int Port, int Sessions, int Messages, int SizeBytes, string RecipientPattern, int Recipients, string Label, int Warmup, int? ServerPid)
{
    /// <summary>Reads `--host --port --sessions --messages --size --recipient-pattern --recipients --label --warmup --server-pid`.</summary>
    public static SmtpLoadSettings From(BenchArguments options) => new(
        options.Text("host", "127.0.0.1"),
        options.Int("port", 2525),
        options.Int("sessions", 20),
        options.Int("messages", 5000),
        options.Int("size", 10 * 1024),
        options.Text("recipient-pattern", "load{0}@bench.test"),
        options.Int("recipients", 100),
        options.Text("label", "10 KB"),
        options.Int("warmup", 1),
        options.Text("server-pid", "") is { Length: > 0 } pid ? int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture) : null);
}
