using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace Mail.Grains.Tests.Cluster;

/// <summary>Client side: the gateway list comes from the PostgreSQL membership table.</summary>
public sealed class AdoNetClientConfigurator : IClientBuilderConfigurator
{
    /// <inheritdoc />
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
    {
        var connectionString = AdoNetTestCluster.ConnectionString(configuration);
        clientBuilder.UseAdoNetClustering(options =>
        {
            options.Invariant = AdoNetTestCluster.Invariant;
            options.ConnectionString = connectionString;
        });
    }
}
