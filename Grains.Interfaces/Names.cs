namespace Mail.Grains.Interfaces;

/// <summary>Names shared by the silo, its clients and the grains: storage providers and stream namespaces.</summary>
public static class Names
{
    /// <summary>The ADO.NET grain storage that holds single-document grain state (tenant, account, domain, address).</summary>
    public const string GrainStorage = "mail";

    /// <summary>The storage the memory stream provider keeps its pub/sub subscriptions in.</summary>
    public const string PubSubStorage = "PubSubStore";

    /// <summary>The stream provider that fans out mailbox events.</summary>
    public const string StreamProvider = "mail-events";

    /// <summary>Stream namespace of mailbox events, keyed by account id.</summary>
    public const string MailboxEventsNamespace = "mailbox";
}
