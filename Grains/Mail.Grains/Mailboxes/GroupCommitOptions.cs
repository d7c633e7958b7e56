namespace Mail.Grains.Mailboxes;

/// <summary>Group commit of mailbox writes, bound from "Mail:GroupCommit" (README, Delivery throughput).</summary>
public sealed class GroupCommitOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Mail:GroupCommit";

    /// <summary>Share transactions between concurrent writes; false runs each write in its own transaction, as before.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Transactions in flight at once per silo: while one commits, the next batch forms.</summary>
    public int Writers { get; set; } = 2;

    /// <summary>Most mailbox writes in one transaction.</summary>
    public int MaxWrites { get; set; } = 64;

    /// <summary>Most SQL statements in one transaction (a write counts all of its statements).</summary>
    public int MaxStatements { get; set; } = 2048;

    /// <summary>
    /// Most deliveries to one mailbox that wait while one is in flight and then go to its grain as one batch
    /// (<see cref="MailboxDeliveryBatcher"/>); 1 sends every delivery alone.
    /// </summary>
    public int MaxMailboxBatch { get; set; } = 64;
}
