namespace Mail.Grains.Interfaces.Delivery;

/// <summary>The Sieve extensions the delivery engine implements: what a script may require and what ManageSieve advertises (RFC 5804 §1.7 SIEVE).</summary>
public static class SieveCapabilities
{
    /// <summary>The extension names, in the order advertised.</summary>
    public static readonly IReadOnlyList<string> Extensions =
    [
        "fileinto", "reject", "envelope", "body", "imap4flags", "vacation", "copy", "mailbox", "date", "relational",
        "comparator-i;octet", "comparator-i;ascii-casemap",
    ];
}
