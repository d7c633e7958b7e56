using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace Mail.Silo.Cluster;

/// <summary>
/// Orleans' activation rebalancer (experimental in Orleans 10, ORLEANSEXP002), off unless
/// "Mail:Cluster:Rebalancing:Enabled" is true; any <see cref="ActivationRebalancerOptions"/> property binds from the same
/// section. Off by default because the cluster already fills a silo that joins: new activations are placed by
/// resource-optimized placement (Orleans' default, which favours the least loaded silo) and idle mailbox grains
/// deactivate, so mail placed anew lands on the new silo; migrating a busy mailbox instead costs a new fencing epoch and a
/// reload of its folder maps on the target. README "Rebalancing" has the reasoning and what was measured.
/// </summary>
public static class ActivationRebalancing
{
    /// <summary>Configuration section: "Enabled" and <see cref="ActivationRebalancerOptions"/>.</summary>
    public const string Section = "Mail:Cluster:Rebalancing";

    /// <summary>Adds the rebalancer when the settings ask for it (every silo of the cluster must agree).</summary>
    public static ISiloBuilder AddMailRebalancing(this ISiloBuilder silo, IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        if (!section.GetValue("Enabled", false)) return silo;
#pragma warning disable ORLEANSEXP002 // Experimental: chosen by configuration only, documented in README.
        silo.AddActivationRebalancer();
#pragma warning restore ORLEANSEXP002
        silo.Configure<ActivationRebalancerOptions>(section);
        return silo;
    }
}
