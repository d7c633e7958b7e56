using Mail.Silo.Configuration;
using Mail.Silo.Streams;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace Mail.Silo.Cluster;

/// <summary>How a frontend process (role "frontend") joins the cluster as a client: gateways from PostgreSQL membership, mutual TLS when on.</summary>
public static class ClusterClientComposition
{
    /// <summary>Configures a cluster client for the cluster <paramref name="options"/> describe.</summary>
    public static IClientBuilder ConfigureMailClient(this IClientBuilder client, MailHostOptions options, IConfiguration configuration)
    {
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.Cluster.ClusterId;
            o.ServiceId = "mail";
        });
        if (AzureTableClustering.IsSelected(options.Cluster))
        {
            client.UseAzureStorageClustering(o => o.TableServiceClient = AzureTableClustering.Client(options.Cluster));
        }
        else
        {
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = SiloComposition.Invariant;
                o.ConnectionString = options.Database;
            });
        }
        client.AddActivityPropagation();
        if (options.Cluster.RetryIdempotentCalls) client.AddOutgoingGrainCallFilter<IdempotentCallRetry>();
        if (options.Cluster.CallAttemptTimeoutSeconds > 0)
        {
            client.Services.AddSingleton(new DeadlineRetry.Settings(TimeSpan.FromSeconds(options.Cluster.CallAttemptTimeoutSeconds),
                DeadlineRetry.FindReadMethods(typeof(Mail.Grains.Mailboxes.MailboxGrain).Assembly).Union(IdempotentCallRetry.Methods).ToHashSet()));
            client.AddOutgoingGrainCallFilter<DeadlineRetry>();
        }
        client.ConfigureFailureDetection(configuration);
        if (ClusterTls.From(options.Cluster.Tls, configuration[ClusterTls.ProtocolCertificateKey]) is { } tls) client.UseTls(tls.Apply);
        client.AddMailStreams(configuration);
        return client;
    }
}
