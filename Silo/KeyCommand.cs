using Mail.Storage.Blobs;
using Mail.Storage.Keys;
using Mail.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mail.Silo;

/// <summary>
/// The key verbs of the silo binary, run against the configured database and master key source while silos keep
/// running: <c>--rotate-master-key</c> (a new master key version; every tenant key re-wrapped under it),
/// <c>--rewrap-tenant-keys</c> (re-wrap under the current version, after one was added by hand) and
/// <c>--rotate-tenant-key &lt;tenant&gt;</c> (a new tenant key version for new data; old data keeps its version).
/// </summary>
public static class KeyCommand
{
    /// <summary>Adds a master key version and re-wraps every tenant key under it.</summary>
    public const string RotateMasterKey = "--rotate-master-key";

    /// <summary>Re-wraps every tenant key under the current master key version.</summary>
    public const string RewrapTenantKeys = "--rewrap-tenant-keys";

    /// <summary>Adds a key version for one tenant.</summary>
    public const string RotateTenantKey = "--rotate-tenant-key";

    /// <summary>Whether <paramref name="args"/> ask for a key verb rather than the host.</summary>
    public static bool IsKeyCommand(string[] args) => args.Length > 0 && args[0] is RotateMasterKey or RewrapTenantKeys or RotateTenantKey;

    /// <summary>Runs the verb; reports to <paramref name="output"/> and <paramref name="error"/>; returns the process exit code (0 done, 1 failed, 2 usage).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, IDictionary<string, string?>? overrides = null, CancellationToken ct = default)
    {
        var verb = args[0];
        var operands = verb == RotateTenantKey ? 1 : 0;
        if (args.Length <= operands || (operands == 1 && args[1].StartsWith('-')))
        {
            await error.WriteLineAsync($"usage: Mail.Silo {RotateMasterKey} | {RewrapTenantKeys} | {RotateTenantKey} <tenant id>");
            return 2;
        }
        try
        {
            var (builder, options) = MailHost.Configure(args[(1 + operands)..], overrides);
            await using var dataSource = MailDataSource.Create(options.Database);
            await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(ct);
            var blobOptions = builder.Configuration.GetSection("Mail:Blobs").Get<BlobStoreOptions>() ?? new BlobStoreOptions();
            // Also the start's checks: a master key source that is missing or unusable stops the verb before it writes anything.
            var store = await MailHost.CreateKeyStoreAsync(builder.Configuration, options, blobOptions, dataSource);
            var keyOptions = builder.Configuration.GetSection(KeyOptions.SectionName).Get<KeyOptions>() ?? new KeyOptions();
            var rotation = new MasterKeyRotation(dataSource, TenantKeyStoreFactory.CreateProvider(keyOptions, options.DataDir));
            switch (verb)
            {
                case RotateMasterKey:
                    Report(output, "added master key version", await rotation.RotateAsync(ct));
                    break;
                case RewrapTenantKeys:
                    Report(output, "current master key version", await rotation.RewrapAsync(ct));
                    break;
                default:
                    var key = await store.RotateAsync(args[1], ct);
                    await output.WriteLineAsync(
                        $"tenant {args[1]}: new key version {key.Version}; new data is encrypted under it (by running silos within " +
                        $"{keyOptions.CurrentKeyRefreshSeconds} s), older data stays readable under the version it names");
                    break;
            }
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
    }

    private static void Report(TextWriter output, string what, RewrapResult result)
    {
        output.WriteLine($"{what} {result.MasterKeyId}: {result.Rewrapped} tenant keys re-wrapped, {result.Remaining} under other versions");
        if (result.Remaining > 0)
            output.WriteLine($"tenant keys were added under an older version during the run: run {RewrapTenantKeys}");
    }
}
