using System.Security.Cryptography.X509Certificates;

namespace Mail.Grains.Outbound.Dns;

/// <summary>Loads the roots of <see cref="OutboundOptions.ExtraTrustedRootsPath"/>, trusted beside the system's for PKIX checks.</summary>
public static class ExtraTrustedRoots
{
    /// <summary>The certificates of a PEM file; empty when no path is configured.</summary>
    public static X509Certificate2Collection Load(string? pemPath)
    {
        var roots = new X509Certificate2Collection();
        if (!string.IsNullOrWhiteSpace(pemPath))
        {
            roots.ImportFromPemFile(pemPath);
        }
        return roots;
    }
}
