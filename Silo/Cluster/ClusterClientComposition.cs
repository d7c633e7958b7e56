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
        client.UseAdoNetClustering(o =>
        {
            o.Invariant = SiloComposition.Invariant;
            o.ConnectionString = options.Database;
        });
        if (ClusterTls.From(options.Cluster.Tls, configuration[ClusterTls.ProtocolCertificateKey]) is { } tls) client.UseTls(tls.Apply);
        client.AddMailStreams(configuration);
        return client;
    }
}
