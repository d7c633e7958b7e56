namespace Mail.Grains.Interfaces.Search;

/// <summary>
/// Searches one account's mailbox with the Gmail query language and starts reindexing (a stateless worker: any silo
/// answers). A malformed query is a <c>MailException</c> with <c>Invalid</c> whose message gives the position.
/// </summary>
[Alias("mail.ISearchGrain")]
public interface ISearchGrain : IGrainWithIntegerKey
{
    /// <summary>A page of the account's messages matching <paramref name="request"/>, from their live rows.</summary>
    Task<SearchPage> SearchAsync(string accountId, SearchRequest request);

    /// <summary>Rebuilds the index of one mailbox from its rows (in the background); false if the mailbox does not exist.</summary>
    Task<bool> ReindexAccountAsync(string accountId);

    /// <summary>Rebuilds the index of every mailbox of a tenant (in the background); returns how many mailboxes.</summary>
    Task<int> ReindexTenantAsync(string tenantId);
}
