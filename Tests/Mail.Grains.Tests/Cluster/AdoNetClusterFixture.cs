using Orleans.TestingHost;

namespace Mail.Grains.Tests.Cluster;

/// <summary>Two silos and a client on one fresh database, shared by the tests of <see cref="AdoNetClusterTests"/>.</summary>
public sealed class AdoNetClusterFixture : IAsyncLifetime
{
    private TestDatabase? _database;
    private TestCluster? _cluster;

    /// <summary>The service id the silos write grain state and reminders under.</summary>
    public const string ServiceId = "adonet-cluster-tests";

    /// <summary>The cluster (deployment) id of the membership rows.</summary>
    public const string ClusterId = "adonet-cluster";

    /// <summary>The database the providers use.</summary>
    public TestDatabase Database => _database ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>The running cluster.</summary>
    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("adonetclustertests");
        _cluster = AdoNetTestCluster.Create(_database.ConnectionString, silos: 2, ServiceId, ClusterId);
        await _cluster.DeployAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
        if (_database is not null) await _database.DisposeAsync();
    }
}
