using Mail.Grains.Hosting;
using Mail.Grains.Accounts;
using Mail.Grains.Lifecycle;
using Mail.Grains.Mailboxes;
using Mail.Grains.Outbound;
using Mail.Grains.Outbound.Bounces;
using Mail.Grains.Outbound.Dkim;
using Mail.Grains.Outbound.Dns;
using Mail.Grains.Reputation;
using Mail.Grains.Reputation.Options;
using Mail.Grains.Reputation.Feedback;
using Mail.Grains.Reputation.Suppression;
using Mail.Grains.Reputation.Webhooks;
using Mail.Grains.Reputation.Bulk;
using Mail.Grains.Reputation.Unsubscribe;
using Mail.Grains.Security;
using Mail.Grains.Search;
using Mail.Grains.Search.Azure;
using Mail.Grains.Search.Indexing;
using Mail.Grains.Search.Postgres;
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
        services.TryAddSingleton(MailClock.System);
        services.AddSingleton(sp => new PasswordHasher(sp.GetRequiredService<IOptions<PasswordHashingOptions>>().Value));
        services.AddOptions<GroupCommitOptions>();
        services.AddSingleton<GroupCommit>();
        services.AddSingleton<MailboxDeliveryBatcher>();
        services.AddOptions<ThreadOptions>();
        services.AddSingleton<MailboxStore>();
        services.AddSingleton<AclStore>();
        services.AddSingleton<DirectoryTable>();
        services.AddSingleton<Storage.GrainStateRows>();
        services.AddSingleton<AccountBatchStore>();
        services.AddOutboundMta();
        services.AddSenderReputation();
        services.AddFeedback();
        services.AddBulkSending();
        services.AddLifecycle();
        services.AddOptions<Delivery.Sieve.SieveLimits>();
        services.AddSingleton<Delivery.Sieve.SieveStore>();
        services.AddSingleton<Delivery.Sieve.SieveFilter>();
        services.AddSearch();
        return services;
    }

    /// <summary>The search engine (PostgreSQL, or Azure AI Search by Mail:Search:Engine), its indexer sweep and stores (README: Search).</summary>
    private static IServiceCollection AddSearch(this IServiceCollection services)
    {
        services.AddOptions<SearchOptions>()
            .Validate(o => o.Engine is "postgres" or "azure", "Mail:Search:Engine must be postgres or azure.")
            .Validate(o => o.MaxBodyChars is >= 0 and <= 500_000, "Mail:Search:MaxBodyChars must be between 0 and 500000 (a tsvector holds at most 1 MB).")
            .Validate(o => o.SweepInterval > TimeSpan.Zero && o.MaxQueryLength > 0 && o.MaxTerms > 0 && o.TotalCap > 0, "Mail:Search limits must be positive.")
            .Validate(o => o.CandidateCap is >= 1 and <= 100_000 && o.WalkBudget is >= 1 and <= 1_000_000,
                "Mail:Search:CandidateCap must be 1 to 100000 and Mail:Search:WalkBudget 1 to 1000000.")
            .Validate(o => o.IndexParallelism > 0, "Mail:Search:IndexParallelism must be positive.")
            .ValidateOnStart();
        services.AddSingleton<SearchRowStore>();
        services.AddSingleton<SearchProgressStore>();
        services.AddSingleton<SearchIndexGate>();
        services.AddSingleton<SearchDocumentBuilder>();
        services.AddSingleton<ISearchEngine>(sp => sp.GetRequiredService<IOptions<SearchOptions>>().Value.Engine == "azure"
            ? ActivatorUtilities.CreateInstance<AzureSearchEngine>(sp)
            : ActivatorUtilities.CreateInstance<PostgresSearchEngine>(sp));
        services.AddHostedService<SearchIndexSweep>();
        return services;
    }

    /// <summary>Retention of mailbox history and collection of unreferenced blobs (README, Security: Data lifecycle).</summary>
    private static IServiceCollection AddLifecycle(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>();
        services.AddSingleton<RetentionStore>();
        services.AddSingleton<MailboxRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<MailboxRetention>());
        services.AddOptions<BlobCollectionOptions>();
        services.AddSingleton<BlobReferenceStore>();
        services.AddSingleton<BlobCollector>();
        services.AddHostedService(sp => sp.GetRequiredService<BlobCollector>());
        return services;
    }

    /// <summary>Sender reputation: IP pools, warm-up, shaping, automation, counters and tenant thresholds (idle unless configured).</summary>
    private static IServiceCollection AddSenderReputation(this IServiceCollection services)
    {
        services.AddOptions<ReputationOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReputationOptions>, ReputationOptionsValidator>();
        services.AddSingleton<ReputationPolicy>();
        services.AddSingleton<IpPoolStore>();
        services.AddSingleton<ReputationQueueStore>();
        services.AddSingleton<ReputationCounterStore>();
        services.AddSingleton<TenantReputationStore>();
        services.AddSingleton<ReputationEventLog>();
        services.AddSingleton<ReputationCounters>();
        services.AddSingleton<IReputationEvents>(sp => sp.GetRequiredService<ReputationCounters>());
        services.AddSingleton<ReputationObserver>();
        services.AddSingleton<ReputationGate>();
        return services;
    }

    /// <summary>Suppression lists, complaint and bounce feedback, and the webhook outbox with its dispatcher.</summary>
    private static IServiceCollection AddFeedback(this IServiceCollection services)
    {
        services.AddOptions<SuppressionOptions>();
        services.AddOptions<FeedbackOptions>();
        services.AddOptions<WebhookOptions>();
        services.AddSingleton<HardBounceRule>();
        services.AddSingleton<SuppressionStore>();
        services.AddSingleton<FeedbackStore>();
        services.AddSingleton<FeedbackNotifier>();
        services.AddSingleton<IFeedbackObserver, FeedbackCounter>();
        services.AddSingleton<ComplaintHandler>();
        services.AddSingleton<WebhookTargets>();
        services.AddSingleton<WebhookSecretSealer>();
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<WebhookDeliveryStore>();
        services.AddHostedService<WebhookDispatcher>();
        services.AddHostedService<FeedbackRetention>();
        return services;
    }

    /// <summary>Bulk jobs, their runner and the one-click unsubscribe tokens they carry (they honour the suppression list of <see cref="AddFeedback"/>).</summary>
    private static IServiceCollection AddBulkSending(this IServiceCollection services)
    {
        services.AddOptions<BulkOptions>();
        services.AddSingleton<UnsubscribeTokens>();
        services.AddSingleton<BulkJobStore>();
        services.AddSingleton<BulkMessageFactory>();
        services.AddHostedService<BulkRunner>();
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
