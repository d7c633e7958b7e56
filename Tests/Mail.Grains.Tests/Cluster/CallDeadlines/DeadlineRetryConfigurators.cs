using Mail.Silo.Cluster;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Mail.Grains.Tests.Cluster.CallDeadlines;

/// <summary>Silos that declare a dead peer within a few seconds, as the mail cluster's failure detection does.</summary>
public sealed class QuickDeathSiloConfigurator : ISiloConfigurator
{
    /// <inheritdoc />
    public void Configure(ISiloBuilder siloBuilder) => siloBuilder.Configure<ClusterMembershipOptions>(o =>
    {
        o.ProbeTimeout = TimeSpan.FromSeconds(1);
        o.NumMissedProbesLimit = 2;
        o.NumVotesForDeathDeclaration = 1;
    });
}

/// <summary>The client as a frontend-only process has it: <see cref="DeadlineRetry"/> over the test grain's reads, 2 s per attempt.</summary>
public sealed class DeadlineRetryClientConfigurator : IClientBuilderConfigurator
{
    /// <inheritdoc />
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
    {
        clientBuilder.Services.AddSingleton(new DeadlineRetry.Settings(TimeSpan.FromSeconds(2), DeadlineRetry.FindReadMethods(typeof(HeldCallGrain).Assembly)));
        clientBuilder.AddOutgoingGrainCallFilter<DeadlineRetry>();
        // Short enough that the write's failure is seen within the test, long enough that nothing else times out.
        clientBuilder.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(20));
    }
}
