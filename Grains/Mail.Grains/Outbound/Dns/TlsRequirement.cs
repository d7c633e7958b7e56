namespace Mail.Grains.Outbound.Dns;

/// <summary>How strictly a connection to one MX host must be protected, from DANE or MTA-STS.</summary>
public enum TlsMode
{
    /// <summary>STARTTLS when offered, any certificate; plaintext when not offered (RFC 3207 opportunistic).</summary>
    Opportunistic,
    /// <summary>MTA-STS enforce (RFC 8461 §4.2): STARTTLS required, a PKIX-valid certificate for the MX name.</summary>
    RequirePkix,
    /// <summary>DANE (RFC 7672 §2.2): STARTTLS required, the certificate must match a TLSA record.</summary>
    Dane,
}

/// <summary>The TLS requirement for one MX host and why it applies (logged and put in deferral reasons).</summary>
public sealed record TlsRequirement(TlsMode Mode, IReadOnlyList<TlsaRecord> Tlsa, string Reason)
{
    /// <summary>Opportunistic TLS, no policy.</summary>
    public static TlsRequirement None { get; } = new(TlsMode.Opportunistic, [], "no policy");
}
