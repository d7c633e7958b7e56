namespace Mail.Frontends.Imap.Protocol;

/// <summary>
/// What UIDONLY (RFC 9586 §3) forbids: FETCH, STORE, SEARCH, COPY, MOVE, SORT and THREAD without UID, a search key that
/// is a bare sequence set (the "$" saved result and "UID set" stay allowed), and QRESYNC's sequence-match parameter.
/// </summary>
public static class UidOnlyRule
{
    /// <summary>Whether the command names messages by sequence number.</summary>
    public static bool Refuses(ImapCommand command) => command switch
    {
        SelectCommand { Qresync.KnownSequence: not null } => true,
        SearchCommand search => !command.Uid || NamesSequence(search.Criteria),
        SortCommand sort => !command.Uid || NamesSequence(sort.Search),
        ThreadCommand thread => !command.Uid || NamesSequence(thread.Search),
        _ => command.Name is "FETCH" or "STORE" or "COPY" or "MOVE" && !command.Uid,
    };

    private static bool NamesSequence(SearchKey key) =>
        key.Kind == SearchKeyKind.SequenceSet && key.Set is { IsSavedResult: false } || key.Children.Any(NamesSequence);
}
