namespace Mail.Grains.Interfaces.Reputation;

/// <summary>
/// A tenant's suppression list (keyed by tenant id): the addresses its outbound mail is never sent to. The key is the
/// only tenant it reads or writes, so a caller that may act for one tenant cannot see another's entries.
/// </summary>
[Alias("mail.ISuppressionListGrain")]
public interface ISuppressionListGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds <paramref name="address"/> for <paramref name="reason"/>; null <paramref name="expiresAt"/> takes the reason's
    /// default (hard bounces expire, the others do not). An entry that lasts longer is kept. Invalid input: MailException Invalid.
    /// </summary>
    Task<SuppressionEntry> AddAsync(string address, string reason, DateTimeOffset? expiresAt, string? detail);

    /// <summary>Removes the address; false when it was not listed.</summary>
    Task<bool> RemoveAsync(string address);

    /// <summary>The address's entry while it applies, else null.</summary>
    Task<SuppressionEntry?> GetAsync(string address);

    /// <summary>Entries after <paramref name="after"/> in address order, optionally of one reason.</summary>
    Task<SuppressionPage> ListAsync(string? after, int limit, string? reason);
}
