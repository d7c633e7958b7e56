namespace Mail.Integration.Tests.Security;

/// <summary>
/// A host whose cluster runs mutual TLS with infra/devcert.sh's certificate (Mail:Tls:CertificatePath, which the cluster
/// takes when it names no certificate of its own) and admits only that certificate.
/// </summary>
public sealed class ClusterTlsHostFixture : MailHostFixture
{
    /// <summary>The cluster's certificate.</summary>
    public DevCertificate Certificate { get; } = new();

    /// <summary>Another installation's development certificate: same shape, different key.</summary>
    public DevCertificate Stranger { get; } = new();

    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Tls:CertificatePath"] = Certificate.PfxPath,
        ["Mail:Cluster:Tls:Enabled"] = "true",
        // Two silos share this test process (the second joins in a test): Orleans' own probe tolerance, not the
        // production 2 s / 2 misses, because a silo voted dead while the suite loads the cores fails the whole process.
        ["Mail:Cluster:Membership:ProbeTimeout"] = "00:00:10",
        ["Mail:Cluster:Membership:NumMissedProbesLimit"] = "3",
    };

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Certificate.Dispose();
        Stranger.Dispose();
    }
}
