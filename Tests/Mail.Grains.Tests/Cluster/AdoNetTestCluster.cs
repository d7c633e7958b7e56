using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace Mail.Grains.Tests.Cluster;

/// <summary>Builds TestClusters whose silos and client use the ADO.NET providers on one test database.</summary>
public static class AdoNetTestCluster
{
    /// <summary>The configuration key that carries the database's connection string to silos and client.</summary>
    public const string ConnectionStringKey = "AdoNetTest:ConnectionString";

    /// <summary>A second grain storage on the same tables that deletes the row on clear (DeleteStorageKey).</summary>
    public const string DeletingStorage = "mail-delete-on-clear";

    /// <summary>The ADO.NET invariant of Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// A cluster of <paramref name="silos"/> silos with PostgreSQL membership, grain storage and reminders.
    /// Fixed service and cluster ids let a second cluster on the same database pick up the first one's state.
    /// </summary>
    public static TestCluster Create(string connectionString, short silos, string serviceId, string clusterId)
    {
        var builder = new TestClusterBuilder(silos);
        builder.PortAllocator = new Mail.Grains.Tests.Infrastructure.FreePortAllocator();
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ServiceId = serviceId;
        builder.Options.ClusterId = clusterId;
        builder.Options.ConfigureFileLogging = false;
        builder.Properties[ConnectionStringKey] = connectionString;
        builder.AddSiloBuilderConfigurator<AdoNetSiloConfigurator>();
        builder.AddClientBuilderConfigurator<AdoNetClientConfigurator>();
        return builder.Build();
    }

    /// <summary>The connection string the builder put into the configuration.</summary>
    public static string ConnectionString(IConfiguration configuration) =>
        configuration[ConnectionStringKey]
        ?? throw new InvalidOperationException($"{ConnectionStringKey} is missing from the test cluster configuration.");
}
