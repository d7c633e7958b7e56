namespace Mail.Frontends.Imap.Protocol;

/// <summary>A SORT key (RFC 5256 §3).</summary>
public enum SortKey
{
    /// <summary>INTERNALDATE.</summary>
    Arrival,

    /// <summary>addr-mailbox of the first Cc address.</summary>
    Cc,

    /// <summary>Sent date, else INTERNALDATE.</summary>
    Date,

    /// <summary>addr-mailbox of the first From address.</summary>
    From,

    /// <summary>RFC822.SIZE.</summary>
    Size,

    /// <summary>Base subject (RFC 5256 §2.1).</summary>
    Subject,

    /// <summary>addr-mailbox of the first To address.</summary>
    To,
}

/// <summary>One sort criterion: a key, reversed or not.</summary>
public sealed record SortCriterion(SortKey Key, bool Reverse);

/// <summary>SORT (criteria) charset search-keys (RFC 5256 §3).</summary>
public sealed record SortCommand(string Tag, IReadOnlyList<SortCriterion> Criteria, string Charset, SearchKey Search) : ImapCommand(Tag, "SORT");
