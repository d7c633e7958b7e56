using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace Mail.Silo.Cluster;

/// <summary>
/// How fast the cluster notices a dead silo and its clients stop using its gateway. Orleans' defaults (probe every 5 s,
/// 3 misses, table refresh 60 s, client gateway list refresh 60 s) leave a killed silo's grains unreachable for 20-60 s;
/// these defaults, measured with infra/bench/chaos.sh, bring that under 10 s. Both are bound from configuration after
/// the defaults: "Mail:Cluster:Membership" (any <see cref="ClusterMembershipOptions"/> property) and "Mail:Cluster:Gateway"
/// (any <see cref="GatewayOptions"/> property).
/// </summary>
public static class FailureDetection
{
    /// <summary>Configuration section bound to <see cref="ClusterMembershipOptions"/>.</summary>
    public const string MembershipSection = "Mail:Cluster:Membership";

    /// <summary>Configuration section bound to <see cref="GatewayOptions"/>.</summary>
    public const string GatewaySection = "Mail:Cluster:Gateway";

    /// <summary>The silo's membership: 2 s probes, 2 misses, 2 votes (capped by Orleans at the live silos), 10 s table refresh.</summary>
    public static ISiloBuilder ConfigureFailureDetection(this ISiloBuilder silo, IConfiguration configuration)
    {
        // "Mail:Cluster:TunedFailureDetection" false keeps Orleans' own defaults (the in-process test hosts do: several
        // silos and jumping clocks in one loaded test process must not vote each other dead).
        if (!configuration.GetValue("Mail:Cluster:TunedFailureDetection", true))
        {
            silo.Configure<ClusterMembershipOptions>(configuration.GetSection(MembershipSection));
            return silo;
        }
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(2);
            o.NumMissedProbesLimit = 2;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(10);
            // A loaded 2-core box answers probes late: the silo widens its own timeout when it sees itself degraded,
            // so a busy silo is not voted dead by a slow peer.
            o.ExtendProbeTimeoutDuringDegradation = true;
        });
        silo.Configure<ClusterMembershipOptions>(configuration.GetSection(MembershipSection));
        return silo;
    }

    /// <summary>The client's gateway list refresh: 5 s, so a frontend stops dialling a dead gateway within seconds.</summary>
    public static IClientBuilder ConfigureFailureDetection(this IClientBuilder client, IConfiguration configuration)
    {
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
        client.Configure<GatewayOptions>(configuration.GetSection(GatewaySection));
        return client;
    }
}
