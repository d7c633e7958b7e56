using System.Net;
using Mail.Grains;
using Mail.Grains.Accounts;
using Mail.Grains.Security;
using Mail.Grains.Interfaces;
using Mail.Grains.Outbound;
using Mail.Grains.Reputation.Options;
using Mail.Grains.Reputation.Feedback;
using Mail.Grains.Reputation.Suppression;
using Mail.Grains.Reputation.Webhooks;
using Mail.Grains.Storage;
using Mail.Silo.Cluster;
using Mail.Silo.Configuration;
using Mail.Silo.Streams;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace Mail.Silo;

/// <summary>How a mail silo is composed: clustering, cluster TLS, grain storage and reminders on PostgreSQL, and the grains' services.</summary>
public static class SiloComposition
{
    /// <summary>Invariant name of the ADO.NET provider for PostgreSQL.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>Configures a silo; <paramref name="includeClustering"/> is false where a test host brings its own membership.</summary>
    public static ISiloBuilder ConfigureMailSilo(this ISiloBuilder silo, MailHostOptions options, IConfiguration configuration, bool includeClustering = true)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.Cluster.ClusterId;
            o.ServiceId = "mail";
        });
        if (includeClustering)
        {
            if (string.Equals(options.Cluster.Clustering, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                silo.UseLocalhostClustering(options.Cluster.SiloPort, options.Cluster.GatewayPort);
            }
            else
            {
                if (AzureTableClustering.IsSelected(options.Cluster))
                {
                    silo.UseAzureStorageClustering(o => o.TableServiceClient = AzureTableClustering.Client(options.Cluster));
                }
                else
                {
                    silo.UseAdoNetClustering(o =>
                    {
                        o.Invariant = Invariant;
                        o.ConnectionString = options.Database;
                    });
                }
                silo.ConfigureEndpoints(IPAddress.Parse(options.Cluster.AdvertisedAddress), options.Cluster.SiloPort, options.Cluster.GatewayPort,
                    listenOnAnyHostAddress: false);
            }
            silo.ConfigureFailureDetection(configuration);
        }
        silo.AddMailRebalancing(configuration);
        if (ClusterTls.From(options.Cluster.Tls, configuration[ClusterTls.ProtocolCertificateKey]) is { } tls) silo.UseTls(tls.Apply);
        // A trace started by a frontend (smtp.data) continues through every grain call, on whichever silo.
        silo.AddActivityPropagation();
        if (options.Cluster.RetryIdempotentCalls) silo.AddOutgoingGrainCallFilter<IdempotentCallRetry>();
        silo.AddAdoNetGrainStorage(Names.GrainStorage, o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = options.Database;
            o.GrainStorageSerializer = new JsonGrainStateSerializer();
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = options.Database;
        });
        silo.AddMailStreams(configuration);
        silo.Services.AddMailGrains();
        silo.Services.Configure<PasswordHashingOptions>(configuration.GetSection("Mail:Passwords"));
        silo.Services.Configure<AccountDefaults>(configuration.GetSection("Mail:Accounts"));
        silo.Services.Configure<OutboundOptions>(configuration.GetSection(OutboundOptions.Section));
        silo.Services.PostConfigure<OutboundOptions>(o =>
        {
            // One name for the host: the SMTP greeting's (MAIL_HOSTNAME) unless the outbound side sets its own.
            if (configuration[$"{OutboundOptions.Section}:Hostname"] is null && configuration["Mail:Smtp:HostName"] is { Length: > 0 } name) o.Hostname = name;
        });
        silo.Services.Configure<AuthThrottleOptions>(configuration.GetSection("Mail:Security"));
        silo.Services.Configure<ReputationOptions>(configuration.GetSection(ReputationOptions.Section));
        silo.Services.Configure<FeedbackOptions>(configuration.GetSection(FeedbackOptions.Section));
        silo.Services.Configure<SuppressionOptions>(configuration.GetSection(SuppressionOptions.Section));
        silo.Services.Configure<WebhookOptions>(configuration.GetSection(WebhookOptions.Section));
        silo.Services.Configure<Mail.Grains.Reputation.Bulk.BulkOptions>(configuration.GetSection(Mail.Grains.Reputation.Bulk.BulkOptions.Section));
        silo.Services.Configure<Mail.Grains.Lifecycle.RetentionOptions>(configuration.GetSection(Mail.Grains.Lifecycle.RetentionOptions.Section));
        silo.Services.Configure<Mail.Grains.Mailboxes.GroupCommitOptions>(configuration.GetSection(Mail.Grains.Mailboxes.GroupCommitOptions.Section));
        silo.Services.Configure<Mail.Grains.Lifecycle.BlobCollectionOptions>(configuration.GetSection(Mail.Grains.Lifecycle.BlobCollectionOptions.Section));
        silo.Services.Configure<Mail.Grains.Search.SearchOptions>(configuration.GetSection(Mail.Grains.Search.SearchOptions.Section));
        silo.Services.Configure<Mail.Grains.Delivery.Sieve.SieveLimits>(configuration.GetSection(Mail.Grains.Delivery.Sieve.SieveLimits.Section));
        silo.Services.Configure<Mail.Grains.Mailboxes.ThreadOptions>(configuration.GetSection(Mail.Grains.Mailboxes.ThreadOptions.Section));
        return silo;
    }
}
