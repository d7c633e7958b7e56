namespace Mail.Silo.Configuration;

/// <summary>The host's settings, bound from the "Mail" configuration section (see README for the environment variables).</summary>
public sealed class MailHostOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Mail";

    /// <summary>"all" (silo with every frontend, the default) or "frontend" (frontends as a cluster client).</summary>
    public string Role { get; set; } = "all";

    /// <summary>Where keys, tokens and filesystem blobs live.</summary>
    public string DataDir { get; set; } = ".data";

    /// <summary>Npgsql connection string of the mail database.</summary>
    public string Database { get; set; } = "Host=127.0.0.1;Port=55432;Username=mail;Database=mail";

    /// <summary>Create the demo tenant and users (known password) on start: off unless asked for (infra/run.sh asks).</summary>
    public bool Demo { get; set; }

    /// <summary>Orleans cluster settings.</summary>
    public ClusterSettings Cluster { get; set; } = new();
}

/// <summary>Orleans cluster membership and endpoints.</summary>
public sealed class ClusterSettings
{
    /// <summary>"adonet" (PostgreSQL membership, the default), "azuretable" (Azure Table storage) or "localhost" (single-silo development only).</summary>
    public string Clustering { get; set; } = "adonet";

    /// <summary>
    /// With Clustering "azuretable": a storage connection string (Azurite's included), or the table endpoint URI
    /// (https://account.table.core.windows.net), reached with the managed identity (DefaultAzureCredential).
    /// </summary>
    public string? AzureTableConnection { get; set; }

    /// <summary>Retry deliveries and submissions (idempotent by their ids) when the cluster fails the call (<see cref="Cluster.IdempotentCallRetry"/>).</summary>
    public bool RetryIdempotentCalls { get; set; } = true;

    /// <summary>
    /// In a frontend-only process, how long a read-only grain call waits for its answer before it is sent again
    /// (<see cref="Cluster.DeadlineRetry"/>); 0 leaves reads to Orleans' response timeout.
    /// </summary>
    public int CallAttemptTimeoutSeconds { get; set; } = 5;

    /// <summary>Cluster id shared by every silo and client of one deployment.</summary>
    public string ClusterId { get; set; } = "mail";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Address silos listen on and advertise; loopback by default. Any other needs <see cref="Tls"/>.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Mutual TLS between silos and from frontends to gateways.</summary>
    public ClusterTlsSettings Tls { get; set; } = new();
}
