using System.Net;
using Mail.Grains.Outbound.Dns;

namespace Mail.Grains.Outbound.Smtp;

/// <summary>
/// Where one connection goes: the MX (or relay) <paramref name="HostName"/> for SNI, certificate checks and logs,
/// the address and port to connect to, the TLS requirement and the certificate check that enforces it (null: any
/// certificate when opportunistic, a PKIX-valid one otherwise), relay credentials, and a source address that
/// overrides <see cref="OutboundOptions.SourceAddress"/> (an IP pool's address; it must be of the remote address's family).
/// </summary>
public sealed record OutboundEndpoint(
    string HostName,
    IPAddress Address,
    int Port,
    TlsRequirement Tls,
    ServerCertificateCheck? CertificateCheck = null,
    SmtpCredentials? Credentials = null,
    IPAddress? SourceAddress = null);
