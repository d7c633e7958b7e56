using Mail.Frontends.Hosting;
using Mail.Frontends.Http;
using Mail.Frontends.Imap.Hosting;
using Mail.Frontends.Pop3.Hosting;
using Mail.Frontends.ManageSieve.Hosting;
using Mail.Frontends.Smtp.Hosting;
using Mail.Silo.Cluster;
using Mail.Silo.Configuration;
using Mail.Silo.Telemetry;
using Mail.Storage.Blobs;
using Mail.Storage.Keys;
using Mail.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Mail.Silo;

/// <summary>Builds the mail host: the silo (unless the role is "frontend") and every frontend in one process.</summary>
public static class MailHost
{
    /// <summary>
    /// Applies migrations, then builds the host. <paramref name="overrides"/> are applied last (tests use
    /// them for ports, database and data directory); <paramref name="services"/> registers services last, so they
    /// replace the host's (tests give the host a clock they move).
    /// </summary>
    public static async Task<WebApplication> CreateAsync(string[] args, IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? services = null)
    {
        var (builder, options) = Configure(args, overrides);
        var frontendOnly = string.Equals(options.Role, "frontend", StringComparison.OrdinalIgnoreCase);
        if (!frontendOnly) ClusterTls.EnsureSafeBinding(options.Cluster);

        var dataSource = MailDataSource.Create(options.Database);
        await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync();
        builder.Services.AddSingleton(dataSource);

        // Blobs and sealed DKIM keys are encrypted under the same tenant keys, so both use this one store.
        var blobOptions = builder.Configuration.GetSection("Mail:Blobs").Get<BlobStoreOptions>() ?? new BlobStoreOptions();
        var keys = await CreateKeyStoreAsync(builder.Configuration, options, blobOptions, dataSource);
        builder.Services.AddSingleton<ITenantKeyStore>(keys);
        var rawBlobs = await BlobStoreFactory.CreateRawAsync(blobOptions, options.DataDir);
        builder.Services.AddSingleton<IBlobStore>(new Telemetry.MeteredBlobStore(new EncryptedBlobStore(rawBlobs, keys)));
        if (rawBlobs is IBlobStoreMaintenance maintenance) builder.Services.AddSingleton(maintenance);

        if (frontendOnly)
        {
            builder.UseOrleansClient(client => client.ConfigureMailClient(options, builder.Configuration).AddMailDashboard(builder.Configuration));
        }
        else
        {
            builder.UseOrleans(silo => silo.ConfigureMailSilo(options, builder.Configuration).AddMailDashboard(builder.Configuration));
            builder.Services.AddHostedService<DemoSeeder>();
        }
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.AddMailTelemetry(silo: !frontendOnly);

        builder.Services.AddSingleton<ReadinessState>();
        builder.Services.AddCredentialVerifier(builder.Configuration);
        var certificate = ServerCertificate.Load(builder.Configuration[ClusterTls.ProtocolCertificateKey]);
        builder.Services.AddSingleton(certificate);
        builder.AddMailHttpFrontend(options.DataDir, certificate.Certificate!);
        builder.AddMailSmtpFrontend(certificate);
        builder.AddMailImapFrontend(certificate);
        builder.AddMailPop3Frontend(certificate);
        builder.AddMailManageSieveFrontend();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapMailHttpFrontend();
        app.MapMailDashboard(builder.Configuration);
        app.UseMailTelemetry();
        app.UseMailSmtpFrontend();
        app.UseMailImapFrontend();
        app.UseMailPop3Frontend();
        app.UseMailManageSieveFrontend();
        if (frontendOnly) app.Services.GetRequiredService<ReadinessState>().MarkReady(ReadinessState.Seed);
        return app;
    }

    /// <summary>
    /// The builder with the host's configuration (appsettings.json, environment, the MAIL_* aliases, arguments, then
    /// <paramref name="overrides"/>) and the bound options, the data directory made absolute and created.
    /// </summary>
    public static (WebApplicationBuilder Builder, MailHostOptions Options) Configure(string[] args, IDictionary<string, string?>? overrides)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.AddInMemoryCollection(EnvironmentAliases.FromEnvironment());
        if (args.Length >= 2 && args[0] == "--role") builder.Configuration["Mail:Role"] = args[1];
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);

        var options = builder.Configuration.GetSection(MailHostOptions.Section).Get<MailHostOptions>() ?? new MailHostOptions();
        options.DataDir = Path.GetFullPath(options.DataDir);
        Directory.CreateDirectory(options.DataDir);
        builder.Configuration["Mail:DataDir"] = options.DataDir;
        builder.Services.Configure<MailHostOptions>(builder.Configuration.GetSection(MailHostOptions.Section));
        return (builder, options);
    }

    /// <summary>The tenant key store, or the reason the host must not start (no usable master key, tenant keys it cannot unwrap).</summary>
    public static async Task<PostgresTenantKeyStore> CreateKeyStoreAsync(
        IConfiguration configuration, MailHostOptions options, BlobStoreOptions blobOptions, NpgsqlDataSource dataSource)
    {
        // Before the host's logging exists; on stderr, which is where a start-up failure is reported too.
        using var logging = LoggerFactory.Create(b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        return await TenantKeyStoreFactory.CreateAsync(
            configuration.GetSection(KeyOptions.SectionName).Get<KeyOptions>() ?? new KeyOptions(), options.DataDir,
            BlobStoreFactory.LegacyKeyDirectory(blobOptions, options.DataDir), dataSource, logging.CreateLogger(typeof(LegacyTenantKeyImport)));
    }
}
