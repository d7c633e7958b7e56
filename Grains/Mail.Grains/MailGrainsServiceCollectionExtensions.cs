using Mail.Grains.Accounts;
using Mail.Grains.Mailboxes;
using Mail.Grains.Outbound;
using Mail.Grains.Outbound.Bounces;
using Mail.Grains.Outbound.Dkim;
using Mail.Grains.Outbound.Dns;
using Mail.Grains.Security;
using Mail.Security.Dns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mail.Grains;

/// <summary>Registers the services the grains use. The host adds an NpgsqlDataSource and an IBlobStore.</summary>
public static class MailGrainsServiceCollectionExtensions
{
    /// <summary>Adds the grains' stores and options.</summary>
    public static IServiceCollection AddMailGrains(this IServiceCollection services)
    {
        services.AddOptions<PasswordHashingOptions>().Validate(o => o.IsValid, PasswordHashingOptions.Bounds).ValidateOnStart();
        services.AddOptions<AccountDefaults>();
        services.AddOptions<OutboundOptions>();
        services.AddOptions<AuthThrottleOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new PasswordHasher(sp.GetRequiredService<IOptions<PasswordHashingOptions>>().Value));
        services.AddSingleton<MailboxStore>();
        services.AddSingleton<DirectoryTable>();
        services.AddOutboundMta();
        return services;
    }

    /// <summary>The outbound MTA: queue, DNS and TLS policy, destinations, DSNs, DKIM, and the scheduler that drives them.</summary>
    private static IServiceCollection AddOutboundMta(this IServiceCollection services)
    {
        // The DNS and TLS-policy classes take the settings themselves (they are also built directly in tests).
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<OutboundOptions>>().Value);
        services.AddSingleton<OutboundQueueStore>();
        services.AddSingleton<OutboundLeaseStore>();
        services.AddSingleton<OwedDsnStore>();
        services.AddSingleton<IMailDns, MailDns>();
        services.AddSingleton<MtaStsResolver>();
        services.AddSingleton<TlsPolicyResolver>();
        services.AddSingleton<OutboundRouter>();
        services.AddSingleton<OutboundConnector>();
        services.AddSingleton<OutcomeWriter>();
        services.AddSingleton<OutcomeRecorder>();
        services.AddSingleton<DestinationContext>();
        // ARC checks use the outbound resolvers, and the seals carry the outbound host name as authserv-id.
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<OutboundOptions>();
            var dns = new AuthDns(new AuthDnsOptions { Servers = options.DnsServers.ToArray(), Timeout = TimeSpan.FromSeconds(Math.Max(1, options.DnsTimeoutSeconds)) });
            return new ArcSealer(dns, options.Hostname);
        });
        services.AddSingleton<OutboundSigner>();
        services.AddSingleton<OutboundIntake>();
        services.AddSingleton<AsyncBounceHandler>();
        services.AddSingleton<DsnNotifier>();
        services.AddHostedService<OutboundScheduler>();
        return services;
    }
}
