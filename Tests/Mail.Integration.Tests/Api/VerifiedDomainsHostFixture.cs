namespace Mail.Integration.Tests.Api;

/// <summary>A host with Mail:Outbound:RequireVerifiedDomains on (test hosts default it off).</summary>
public sealed class VerifiedDomainsHostFixture : MailHostFixture
{
    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Outbound:RequireVerifiedDomains"] = "true",
        ["Mail:Outbound:Hostname"] = "mx.mail.test",
    };
}
