using Mail.Grains.Interfaces;
using Orleans.TestingHost;

namespace Mail.Grains.Tests.Cluster;

/// <summary>Silo side: PostgreSQL membership, grain storage and reminders through the ADO.NET providers.</summary>
public sealed class AdoNetSiloConfigurator : ISiloConfigurator
{
    /// <inheritdoc />
    public void Configure(ISiloBuilder siloBuilder)
    {
        var connectionString = AdoNetTestCluster.ConnectionString(siloBuilder.Configuration);
        siloBuilder.UseAdoNetClustering(options =>
        {
            options.Invariant = AdoNetTestCluster.Invariant;
            options.ConnectionString = connectionString;
        });
        siloBuilder.AddAdoNetGrainStorage(Names.GrainStorage, options =>
        {
            options.Invariant = AdoNetTestCluster.Invariant;
            options.ConnectionString = connectionString;
        });
        siloBuilder.AddAdoNetGrainStorage(AdoNetTestCluster.DeletingStorage, options =>
        {
            options.Invariant = AdoNetTestCluster.Invariant;
            options.ConnectionString = connectionString;
            options.DeleteStateOnClear = true;
        });
        siloBuilder.UseAdoNetReminderService(options =>
        {
            options.Invariant = AdoNetTestCluster.Invariant;
            options.ConnectionString = connectionString;
        });
    }
}
