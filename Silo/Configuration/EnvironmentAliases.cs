namespace Mail.Silo.Configuration;

/// <summary>The documented MAIL_* environment variables and the configuration keys they set.</summary>
public static class EnvironmentAliases
{
    /// <summary>Environment variable to configuration key.</summary>
    public static readonly IReadOnlyDictionary<string, string> Map = new Dictionary<string, string>
    {
        ["MAIL_ROLE"] = "Mail:Role",
        ["MAIL_DATA_DIR"] = "Mail:DataDir",
        ["MAIL_DB"] = "Mail:Database",
        ["MAIL_DEMO"] = "Mail:Demo",
        ["MAIL_CLUSTERING"] = "Mail:Cluster:Clustering",
        ["MAIL_AZURE_TABLE"] = "Mail:Cluster:AzureTableConnection",
        ["MAIL_CLUSTER_ID"] = "Mail:Cluster:ClusterId",
        ["MAIL_SILO_PORT"] = "Mail:Cluster:SiloPort",
        ["MAIL_GATEWAY_PORT"] = "Mail:Cluster:GatewayPort",
        ["MAIL_CLUSTER_ADDRESS"] = "Mail:Cluster:AdvertisedAddress",
        ["MAIL_CLUSTER_TLS"] = "Mail:Cluster:Tls:Enabled",
        ["MAIL_ADMIN_TOKEN"] = "Mail:Http:AdminToken",
        ["MAIL_HTTP_URL"] = "Mail:Http:Url",
        ["MAIL_HTTPS_URL"] = "Mail:Http:HttpsUrl",
        ["MAIL_MAX_MESSAGE_BYTES"] = "Mail:Http:MaxMessageBytes",
        ["MAIL_RATE_PER_IP"] = "Mail:Http:RateLimit:PerIpPerMinute",
        ["MAIL_RATE_PER_ACCOUNT"] = "Mail:Http:RateLimit:PerAccountPerMinute",
        ["MAIL_BLOB_STORE"] = "Mail:Blobs:Kind",
        ["MAIL_AZURE_BLOB"] = "Mail:Blobs:AzureConnectionString",
        ["MAIL_AZURE_CONTAINER"] = "Mail:Blobs:AzureContainer",
        ["MAIL_ARGON2_MEMORY_KIB"] = "Mail:Passwords:MemoryKib",
        ["MAIL_ARGON2_ITERATIONS"] = "Mail:Passwords:Iterations",
        ["MAIL_DEFAULT_QUOTA_BYTES"] = "Mail:Accounts:QuotaBytes",
        ["MAIL_TLS_CERT"] = "Mail:Tls:CertificatePath",
        ["MAIL_MASTER_KEY_PROVIDER"] = "Mail:Keys:Provider",
        ["MAIL_MASTER_KEY_FILE"] = "Mail:Keys:MasterKeyFile",
        ["MAIL_KEY_VAULT_URI"] = "Mail:Keys:KeyVaultUri",
        ["MAIL_KEY_VAULT_SECRET"] = "Mail:Keys:KeyVaultSecretName",
        ["MAIL_HOSTNAME"] = "Mail:Smtp:HostName",
        ["MAIL_SMTP_PORT"] = "Mail:Smtp:MxPort",
        ["MAIL_SUBMISSION_PORT"] = "Mail:Smtp:SubmissionPort",
        ["MAIL_SUBMISSIONS_PORT"] = "Mail:Smtp:SubmissionTlsPort",
        ["MAIL_SMTP_MAX_MESSAGE_BYTES"] = "Mail:Smtp:MaxMessageBytes",
        ["MAIL_IMAP_PORT"] = "Mail:Imap:Port",
        ["MAIL_IMAPS_PORT"] = "Mail:Imap:TlsPort",
        ["MAIL_POP3_PORT"] = "Mail:Pop3:Port",
        ["MAIL_POP3S_PORT"] = "Mail:Pop3:TlsPort",
        ["MAIL_MANAGESIEVE_PORT"] = "Mail:ManageSieve:Port",
        ["MAIL_OUTBOUND_SOURCE"] = "Mail:Outbound:SourceAddress",
        ["MAIL_RELAY_HOST"] = "Mail:Outbound:RelayHost",
        ["MAIL_RELAY_PORT"] = "Mail:Outbound:RelayPort",
        ["MAIL_RELAY_USER"] = "Mail:Outbound:RelayUsername",
        ["MAIL_RELAY_PASSWORD"] = "Mail:Outbound:RelayPassword",
        ["MAIL_REQUIRE_VERIFIED_DOMAINS"] = "Mail:Outbound:RequireVerifiedDomains",
    };

    /// <summary>MAIL_DNS_SERVERS: comma-separated resolvers ("ip[:port]"), bound as the list Mail:Outbound:DnsServers.</summary>
    public const string DnsServersVariable = "MAIL_DNS_SERVERS";

    /// <summary>MAIL_HTTP_KNOWN_PROXIES: comma-separated proxy addresses or networks, bound as the list Mail:Http:KnownProxies.</summary>
    public const string KnownProxiesVariable = "MAIL_HTTP_KNOWN_PROXIES";

    /// <summary>The values of the aliases set in this process's environment, as configuration pairs.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> FromEnvironment() =>
        Map.Where(kv => Environment.GetEnvironmentVariable(kv.Key) is not null)
           .Select(kv => new KeyValuePair<string, string?>(kv.Value, Normalize(kv.Key, Environment.GetEnvironmentVariable(kv.Key)!)))
           .Concat(DnsServers(Environment.GetEnvironmentVariable(DnsServersVariable)))
           .Concat(List("Mail:Http:KnownProxies", Environment.GetEnvironmentVariable(KnownProxiesVariable)));

    /// <summary>The list entries of a MAIL_DNS_SERVERS value.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> DnsServers(string? value) => List("Mail:Outbound:DnsServers", value);

    /// <summary>A comma-separated value as the entries of the configuration list <paramref name="key"/>.</summary>
    private static IEnumerable<KeyValuePair<string, string?>> List(string key, string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select((entry, i) => new KeyValuePair<string, string?>($"{key}:{i}", entry));

    /// <summary>Switches (MAIL_DEMO, MAIL_REQUIRE_VERIFIED_DOMAINS, MAIL_CLUSTER_TLS) take 0/1, no/yes and false/true alike.</summary>
    private static string Normalize(string variable, string value) => variable switch
    {
        "MAIL_DEMO" or "MAIL_REQUIRE_VERIFIED_DOMAINS" or "MAIL_CLUSTER_TLS" => value.Trim().ToLowerInvariant() is "0" or "false" or "no" or "off" ? "false" : "true",
        _ => value,
    };
}
