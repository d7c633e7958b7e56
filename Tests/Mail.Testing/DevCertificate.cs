using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;

namespace Mail.Testing;

/// <summary>
/// The development certificate exactly as an operator gets it: infra/devcert.sh run into a directory of its own
/// (dev.pfx for the host, dev.crt for clients to trust). Each instance is a new key, so two of them are two installations.
/// </summary>
public sealed class DevCertificate : IDisposable
{
    private readonly TempDirectory _dataDir = new();

    /// <summary>Runs infra/devcert.sh.</summary>
    public DevCertificate()
    {
        var start = new ProcessStartInfo("bash", [System.IO.Path.Combine(RepoRoot.Path, "infra", "devcert.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["MAIL_DATA_DIR"] = _dataDir.Path;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run infra/devcert.sh.");
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"infra/devcert.sh failed: {errors.Result}");
        }
        Certificate = X509CertificateLoader.LoadCertificateFromFile(CrtPath);
    }

    /// <summary>The PKCS#12 file (certificate and key, empty password): what MAIL_TLS_CERT names.</summary>
    public string PfxPath => System.IO.Path.Combine(_dataDir.Path, "tls", "dev.pfx");

    /// <summary>The certificate alone (PEM), what a client adds to its trust store.</summary>
    public string CrtPath => System.IO.Path.Combine(_dataDir.Path, "tls", "dev.crt");

    /// <summary>The certificate, without its key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Whether <paramref name="presented"/> is this certificate, validated as a client that trusts only it would: chain and name.</summary>
    public bool Validates(X509Certificate2? presented, System.Net.Security.SslPolicyErrors errors)
    {
        if (presented is null || errors.HasFlag(System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch)) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        _dataDir.Dispose();
    }
}
