using Orleans.Concurrency;

namespace Mail.Grains.Interfaces.Search;

/// <summary>
/// The search indexer of one account (keyed by account id): replays the mailbox change log from the last MODSEQ it
/// indexed, so a lost hint or a restart never loses a message; rebuilds from the rows when the log was pruned. It is
/// woken by the account's mailbox events (an implicit stream subscription) and by the sweep.
/// </summary>
[Alias("mail.ISearchIndexerGrain")]
public interface ISearchIndexerGrain : IGrainWithStringKey
{
    /// <summary>Indexes every change after the last indexed MODSEQ; returns the MODSEQ indexed through.</summary>
    Task<long> CatchUpAsync();

    /// <summary>Starts a catch-up (coalesced with one in flight) and returns at once.</summary>
    [OneWay]
    Task WakeAsync();
}
