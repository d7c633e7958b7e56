using Mail.Grains.Tests.Reputation;
using Mail.Silo;
using Mail.Silo.Configuration;
using Mail.Storage.Blobs;
using Mail.Storage.Keys;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.TestingHost;

namespace Mail.Grains.Tests.Infrastructure;

/// <summary>An in-process TestCluster composed like the real silo (ADO.NET storage and reminders on a fresh database, filesystem blobs).</summary>
public sealed class MailClusterFixture : IAsyncLifetime
{
    private readonly TempDirectory _dataDir = new();

    /// <summary>The outbound MTA's host name in this cluster (Mail:Outbound:Hostname).</summary>
    public const string OutboundHostname = "mx.mail.test";

    /// <summary>How long a (client address, user) lockout lasts in this cluster, short so a test can outwait it.</summary>
    public static readonly TimeSpan AccountLockout = TimeSpan.FromSeconds(3);

    /// <summary>The database of this fixture.</summary>
    public TestDatabase Database { get; private set; } = null!;

    /// <summary>The running cluster.</summary>
    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>The silo's services (its options and singletons).</summary>
    public IServiceProvider SiloServices => ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services;

    /// <summary>The cluster client's grain factory.</summary>
    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The DNS server the silo resolves through (sending-domain verification, outbound routes).</summary>
    public TestDnsServer Dns { get; } = new();

    /// <summary>The data directory (blobs, keys).</summary>
    public string DataDir => _dataDir.Path;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("grains");
        TestKeys.EnsureMasterKey(_dataDir.Path);
        var builder = new TestClusterBuilder(1);
        builder.PortAllocator = new Mail.Grains.Tests.Infrastructure.FreePortAllocator();
        builder.Options.ClusterId = "mail";
        builder.Options.ServiceId = "mail";
        builder.Properties["MailTest:Database"] = Database.ConnectionString;
        builder.Properties["MailTest:DataDir"] = _dataDir.Path;
        builder.Properties["MailTest:Dns"] = Dns.Endpoint;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>Opens a connection to the fixture's database, for assertions on rows.</summary>
    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await Database.DisposeAsync();
        Dns.Dispose();
        _dataDir.Dispose();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = siloBuilder.Configuration;
            var database = configuration["MailTest:Database"]!;
            var dataDir = configuration["MailTest:DataDir"]!;
            var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Mail:Passwords:MemoryKib"] = "1024",
                ["Mail:Passwords:Iterations"] = "1",
                ["Mail:Outbound:Hostname"] = OutboundHostname,
                ["Mail:Outbound:DnsServers:0"] = configuration["MailTest:Dns"],

                ["Mail:Security:AccountLockout"] = AccountLockout.ToString(),
            }).Build();
            siloBuilder.ConfigureMailSilo(new MailHostOptions { Database = database, DataDir = dataDir }, settings, includeClustering: false);
            var dataSource = Mail.Storage.Postgres.MailDataSource.Create(database);
            siloBuilder.Services.AddSingleton(dataSource);
            // As the host does: one tenant key store for the blobs and the sealed DKIM keys.
            var keys = TenantKeyStoreFactory.CreateAsync(new KeyOptions(), dataDir, Path.Combine(dataDir, "keys"), dataSource,
                Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).GetAwaiter().GetResult();
            siloBuilder.Services.AddSingleton<ITenantKeyStore>(keys);
            siloBuilder.Services.AddSingleton(BlobStoreFactory.CreateAsync(new BlobStoreOptions(), dataDir, keys).GetAwaiter().GetResult());
        }
    }
}

/// <summary>The collection that shares one <see cref="MailClusterFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class MailClusterCollection : ICollectionFixture<MailClusterFixture>
{
    /// <summary>Collection name.</summary>
    public const string Name = "mail-cluster";
}
