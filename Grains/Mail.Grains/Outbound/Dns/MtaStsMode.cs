namespace Mail.Grains.Outbound.Dns;

/// <summary>The mode of an MTA-STS policy (RFC 8461 §5).</summary>
public enum MtaStsMode
{
    /// <summary>No TLS requirement: the domain is withdrawing its policy (RFC 8461 §8.3).</summary>
    None,
    /// <summary>Report failures but deliver anyway.</summary>
    Testing,
    /// <summary>Deliver only to matching MX hosts over PKIX-valid TLS.</summary>
    Enforce,
}
