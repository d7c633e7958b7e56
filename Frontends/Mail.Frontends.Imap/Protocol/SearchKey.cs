namespace Mail.Frontends.Imap.Protocol;

/// <summary>One node of a search criteria tree; which members matter depends on <see cref="Kind"/>.</summary>
public sealed record SearchKey(SearchKeyKind Kind)
{
    /// <summary>Sub-keys of And, Or (two) and Not (one).</summary>
    public IReadOnlyList<SearchKey> Children { get; init; } = [];

    /// <summary>Flag, header field name.</summary>
    public string? Field { get; init; }

    /// <summary>Text to look for.</summary>
    public string? Text { get; init; }

    /// <summary>Size or MODSEQ.</summary>
    public long Number { get; init; }

    /// <summary>Date of the date keys.</summary>
    public DateOnly Date { get; init; }

    /// <summary>Set of SequenceSet and Uid.</summary>
    public SequenceSet? Set { get; init; }
}
