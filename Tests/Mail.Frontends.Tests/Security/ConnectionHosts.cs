namespace Mail.Frontends.Tests.Security;

/// <summary>
/// A host whose every protocol listener takes at most <see cref="MaxConnections"/> sessions from all clients together
/// (and many per address), with the usual timeouts, so held sessions stay open while the cap is tested.
/// </summary>
public sealed class ConnectionCapHostFixture : MailHostFixture
{
    /// <summary>Sessions each listener takes.</summary>
    public const int MaxConnections = 2;

    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Smtp:MaxConnections"] = "2",
        ["Mail:Smtp:MaxConnectionsPerIp"] = "100",
        ["Mail:Imap:MaxConnections"] = "2",
        ["Mail:Imap:MaxConnectionsPerIp"] = "100",
        ["Mail:Pop3:MaxConnections"] = "2",
        ["Mail:Pop3:MaxConnectionsPerIp"] = "100",
    };
}

/// <summary>A host with short deadlines: pre-login idle, command and message content time, so each can be reached in a test.</summary>
public sealed class DeadlineHostFixture : MailHostFixture
{
    /// <summary>Pre-login idle time of submission, IMAP and POP3; also the whole time of a command before login.</summary>
    public const int PreAuthSeconds = 2;

    /// <summary>Time a message's content may take (SMTP), and an IMAP command after login.</summary>
    public const int DeadlineSeconds = 3;

    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Smtp:PreAuthTimeoutSeconds"] = "2",
        ["Mail:Smtp:CommandTimeoutSeconds"] = "30",
        ["Mail:Smtp:DataTimeoutSeconds"] = "2",
        ["Mail:Smtp:DataDeadlineSeconds"] = "3",
        ["Mail:Imap:PreAuthIdleTimeoutSeconds"] = "2",
        ["Mail:Imap:CommandTimeoutSeconds"] = "3",
        ["Mail:Pop3:PreAuthTimeoutSeconds"] = "2",
    };
}

/// <summary>Test classes sharing the host with a small global connection cap.</summary>
[CollectionDefinition(Name)]
public sealed class ConnectionCapHostCollection : ICollectionFixture<ConnectionCapHostFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "connection cap host";
}

/// <summary>Test classes sharing the host with short deadlines; one at a time, since they measure time.</summary>
[CollectionDefinition(Name)]
public sealed class DeadlineHostCollection : ICollectionFixture<DeadlineHostFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "deadline host";
}
