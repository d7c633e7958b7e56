using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Mail.Grains.Outbound.Smtp;

/// <summary>
/// Decides whether the server certificate presented after STARTTLS is acceptable for this host (the caller plugs in
/// its DANE / MTA-STS / opportunistic policy); <paramref name="reason"/> explains a refusal.
/// </summary>
public delegate bool ServerCertificateCheck(X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors, out string reason);
