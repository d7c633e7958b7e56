using Orleans.TestingHost;

namespace Mail.Grains.Tests.Infrastructure;

/// <summary>
/// Silo and gateway ports of a TestCluster from this test process's block of <see cref="FreePort"/>, so that a cluster
/// never takes a port another test assembly running at the same time has just been handed (Orleans' own allocator
/// knows nothing of those blocks).
/// </summary>
public sealed class FreePortAllocator : ITestClusterPortAllocator
{
    /// <inheritdoc />
    public (int, int) AllocateConsecutivePortPairs(int numPorts) => (FreePort.NextRange(numPorts), FreePort.NextRange(numPorts));

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
