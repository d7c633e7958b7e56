namespace Mail.Integration.Tests.InboundAuth;

/// <summary>The same host with DMARC reject honoured by filing in Junk (<c>Mail:Smtp:InboundAuth:DmarcRejectAction</c>).</summary>
public sealed class InboundAuthQuarantineHostFixture : InboundAuthHostFixture
{
    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Mail:Smtp:InboundAuth:DmarcRejectAction"] = "quarantine",
    };
}
