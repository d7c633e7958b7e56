namespace Mail.Frontends.Tests.Pop3;

/// <summary>The host with default POP3 settings: login only under TLS, 10 minutes autologout, 10 errors per session.</summary>
public sealed class Pop3HostFixture : MailHostFixture;

/// <summary>A host with small POP3 limits and plaintext login allowed, so each limit can be reached in a test.</summary>
public sealed class Pop3LimitsHostFixture : MailHostFixture
{
    /// <summary>The autologout timer of this host.</summary>
    public const int CommandTimeoutSeconds = 2;

    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Pop3:CommandTimeoutSeconds"] = CommandTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:Pop3:MaxErrorsPerSession"] = "3",
        ["Mail:Pop3:AllowPlaintextAuth"] = "true",
        ["Mail:Pop3:MaxConnectionsPerIp"] = "3",
    };
}

/// <summary>Test classes sharing the default POP3 host.</summary>
[CollectionDefinition(Name)]
public sealed class Pop3HostCollection : ICollectionFixture<Pop3HostFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "POP3 host";
}

/// <summary>Test classes sharing the POP3 host with small limits.</summary>
[CollectionDefinition(Name)]
public sealed class Pop3LimitsHostCollection : ICollectionFixture<Pop3LimitsHostFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "POP3 limits host";
}
