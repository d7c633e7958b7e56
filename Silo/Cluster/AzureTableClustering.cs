using Azure.Data.Tables;
using Azure.Identity;
using Mail.Silo.Configuration;

namespace Mail.Silo.Cluster;

/// <summary>Orleans membership in Azure Table storage (Microsoft.Orleans.Clustering.AzureStorage), chosen by Mail:Cluster:Clustering=azuretable.</summary>
public static class AzureTableClustering
{
    /// <summary>Whether the settings choose Azure Table membership.</summary>
    public static bool IsSelected(ClusterSettings cluster) => string.Equals(cluster.Clustering, "azuretable", StringComparison.OrdinalIgnoreCase);

    /// <summary>The table client: by connection string, or by endpoint URI with the managed identity.</summary>
    public static TableServiceClient Client(ClusterSettings cluster)
    {
        var connection = cluster.AzureTableConnection;
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new InvalidOperationException(
                "Mail:Cluster:Clustering is azuretable but Mail:Cluster:AzureTableConnection is empty: set a storage connection string or the table endpoint URI.");
        }
        return Uri.TryCreate(connection, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "https" or "http"
            ? new TableServiceClient(endpoint, new DefaultAzureCredential())
            : new TableServiceClient(connection);
    }
}
