using Mail.Bench.Delivery;
using Mail.Bench.Memory;
using Mail.Bench.Passwords;
using Mail.Bench.Seeding;
using Mail.Bench.Smtp;

namespace Mail.Bench;

/// <summary>Entry point: `dotnet Mail.Bench.dll api-delivery|seed-mailbox|grain-memory|password-hash|smtp-load|imap-load|imap-scale|outbound-fill|outbound-drain|bulk|push|search|chaos|scale --option value ...`.</summary>
public static class Program
{
    /// <summary>Runs one subcommand; its figure line goes to stdout, progress and errors to stderr.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            await Console.Error.WriteLineAsync("usage: Mail.Bench api-delivery|seed-mailbox|grain-memory|password-hash|smtp-load|imap-load|imap-scale|outbound-fill|outbound-drain|bulk|push|search|chaos|scale --option value ...");
            return 2;
        }
        try
        {
            var options = BenchArguments.Parse(args.Skip(1));
            return args[0] switch
            {
                "api-delivery" => await ApiDeliveryBenchmark.RunAsync(ApiDeliverySettings.From(options)),
                "seed-mailbox" => await MailboxSeeder.RunAsync(options.Required("db"), options.Required("address"), options.Int("count", 100_000)),
                "smtp-load" => await SmtpLoadBenchmark.RunAsync(SmtpLoadSettings.From(options)),
                "imap-load" => await Imap.ImapLoadBenchmark.RunAsync(Imap.ImapLoadSettings.From(options)),
                "imap-scale" => await Imap.ImapScaleBenchmark.RunAsync(options),
                "outbound-fill" => await Outbound.OutboundFill.RunAsync(options),
                "outbound-drain" => await Outbound.OutboundDrain.RunAsync(options),
                "bulk" => await Bulk.BulkBenchmark.RunAsync(options),
                "push" => await Push.PushBenchmark.RunAsync(options),
                "search" => await Search.SearchBenchmark.RunAsync(options),
                "chaos" => await Chaos.ChaosBenchmark.RunAsync(Chaos.ChaosSettings.From(options)),
                "scale" => await Scale.ScaleBenchmark.RunAsync(options),
                "grain-memory" => await GrainMemoryBenchmark.RunAsync(options.Required("db"), options.Int("count", 2000)),
                "password-hash" => PasswordHashBenchmark.Run(options),
                _ => throw new ArgumentException($"unknown subcommand '{args[0]}'"),
            };
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"{args[0]}: {e.Message}");
            return 2;
        }
    }
}
