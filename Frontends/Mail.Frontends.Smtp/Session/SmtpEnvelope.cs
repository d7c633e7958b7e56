using Mail.Grains.Interfaces.Accounts;

namespace Mail.Frontends.Smtp.Session;

/// <summary>One mail transaction in progress: reverse-path, parameters and accepted recipients (RFC 5321 §3.3).</summary>
public sealed class SmtpEnvelope(string from, IReadOnlyDictionary<string, string?> parameters)
{
    /// <summary>The reverse-path; empty for the null sender (bounces).</summary>
    public string From { get; } = from;

    /// <summary>MAIL parameters (SIZE, BODY, SMTPUTF8, RET, ENVID).</summary>
    public IReadOnlyDictionary<string, string?> Parameters { get; } = parameters;

    /// <summary>Accepted recipients, in order, with where they route (null for remote).</summary>
    public List<(string Address, AddressRoute? Route)> Recipients { get; } = [];

    /// <summary>The tenant whose key encrypts the stored message: the sender's, else the first local recipient's.</summary>
    public string? BlobTenant { get; set; }
}
