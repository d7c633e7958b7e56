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

    /// <summary>DISPLAYFROM (RFC 5957 §3): the display name of the first From address, else its addr-spec.</summary>
    DisplayFrom,

    /// <summary>DISPLAYTO (RFC 5957 §3): the display name of the first To address, else its addr-spec.</summary>
    DisplayTo,
}

/// <summary>One sort criterion: a key, reversed or not.</summary>
public sealed record SortCriterion(SortKey Key, bool Reverse);

/// <summary>SORT [RETURN (options)] (criteria) charset search-keys (RFC 5256 §3; RETURN is ESORT, RFC 5267 §3).</summary>
public sealed record SortCommand(string Tag, IReadOnlyList<SortCriterion> Criteria, string Charset, SearchKey Search) : ImapCommand(Tag, "SORT")
{
    /// <summary>The RETURN options (ESORT); <see cref="SearchReturn.None"/> without RETURN (the SORT response).</summary>
    public SearchReturn Return { get; init; }

    /// <summary>RETURN was given: the answer is an ESEARCH response.</summary>
    public bool Extended { get; init; }

    /// <summary>The positions RETURN (PARTIAL low:high) asks for (RFC 5267 §4.4).</summary>
    public (long Low, long High) Partial { get; init; }
}
