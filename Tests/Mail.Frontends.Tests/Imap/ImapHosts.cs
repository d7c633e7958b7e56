namespace Mail.Frontends.Tests.Imap;

/// <summary>The host with default IMAP settings (no plaintext authentication; log in over TLS).</summary>
public sealed class ImapHostFixture : MailHostFixture;

/// <summary>Test classes sharing the IMAP host.</summary>
[CollectionDefinition(Name)]
public sealed class ImapHostCollection : ICollectionFixture<ImapHostFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "IMAP host";
}
