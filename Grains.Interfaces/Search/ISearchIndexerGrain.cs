namespace Mail.Grains.Interfaces.Search;

/// <summary>
/// The search indexer of one account (keyed by account id): replays the mailbox change log from the last MODSEQ it
/// indexed, so a lost hint or a restart never loses a message; rebuilds from the rows when the log was pruned.
/// </summary>
[Alias("mail.ISearchIndexerGrain")]
public interface ISearchIndexerGrain : IGrainWithStringKey
{
    /// <summary>Indexes every change after the last indexed MODSEQ; returns the MODSEQ indexed through.</summary>
    Task<long> CatchUpAsync();
}
