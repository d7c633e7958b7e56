namespace Mail.Bench.Delivery;

/// <summary>Options of the api-delivery subcommand.</summary>
public sealed record ApiDeliverySettings(
    Uri Url, string AdminToken, string Recipient, int Senders, int Messages, int Size, string Label, int WarmupPerSender)
{
    /// <summary>Reads the options; --url, --admin-token and --recipient are required.</summary>
    public static ApiDeliverySettings From(BenchArguments options) => new(
        new Uri(options.Required("url")),
        options.Required("admin-token"),
        options.Required("recipient"),
        options.Int("senders", 20),
        options.Int("messages", 5000),
        options.Int("size", 10240),
        options.Text("label", "a mailbox"),
        options.Int("warmup", 5));
}
