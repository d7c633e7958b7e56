namespace Mail.Bench.Chaos;

/// <summary>Options of `Mail.Bench chaos`.</summary>
public sealed record ChaosSettings(
    string Database, string ReadyFile, string ClusterDir, string AdminToken, int SinkPort,
    int Seconds, int KillEverySeconds, int Users, int MxWorkers, int SubmissionWorkers, int ImapWorkers, int ApiWorkers,
    int RetryDelayMs, string Password)
{
    /// <summary>Reads the options; the cluster's ready file and directory come from infra/cluster.sh.</summary>
    public static ChaosSettings From(BenchArguments options) => new(
        options.Required("db"), options.Required("ready-file"), options.Required("cluster-dir"),
        File.ReadAllText(options.Required("admin-token-file")).Trim(), options.Int("sink-port", 2500),
        options.Int("seconds", 120), options.Int("kill-every", 30), options.Int("users", 24),
        options.Int("mx", 4), options.Int("submission", 2), options.Int("imap", 3), options.Int("api", 3),
        options.Int("retry-delay-ms", 200), "chaos-password");
}
