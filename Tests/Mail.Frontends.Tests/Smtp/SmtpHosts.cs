namespace Mail.Frontends.Tests.Smtp;

/// <summary>The host with default SMTP settings (SIZE 25000000, 100 recipients, 10 errors per session).</summary>
public sealed class SmtpHostFixture : MailHostFixture;

/// <summary>A host with small SMTP limits, so each limit can be reached in a test.</summary>
public sealed class SmtpLimitsHostFixture : MailHostFixture
{
    /// <summary>The message size limit of this host.</summary>
    public const int MaxMessageBytes = 10_000;

    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Smtp:MaxMessageBytes"] = MaxMessageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:Smtp:MaxRecipients"] = "3",
        ["Mail:Smtp:CommandTimeoutSeconds"] = "2",
        ["Mail:Smtp:DataTimeoutSeconds"] = "2",
        ["Mail:Smtp:MaxErrorsPerSession"] = "5",
        ["Mail:Smtp:MaxConnectionsPerIp"] = "3",
    };
}

/// <summary>Test classes sharing the default SMTP host.</summary>
[CollectionDefinition(Name)]
public sealed class SmtpHostCollection : ICollectionFixture<SmtpHostFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "SMTP host";
}

/// <summary>Test classes sharing the SMTP host with small limits; they run one at a time, which the per-IP connection limit needs.</summary>
[CollectionDefinition(Name)]
public sealed class SmtpLimitsHostCollection : ICollectionFixture<SmtpLimitsHostFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "SMTP limits host";
}
