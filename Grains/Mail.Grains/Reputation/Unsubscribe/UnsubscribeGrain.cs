using Mail.Grains.Interfaces.Bulk;
using Mail.Grains.Reputation.Suppression;
using Orleans.Concurrency;

namespace Mail.Grains.Reputation.Unsubscribe;

/// <summary>One-click unsubscribe: verifies a List-Unsubscribe token and suppresses its recipient for its tenant.</summary>
[StatelessWorker]
public sealed class UnsubscribeGrain(UnsubscribeTokens tokens, SuppressionStore suppressions) : Grain, IUnsubscribeGrain
{
    /// <summary>The suppression reason an unsubscribe records.</summary>
    public const string Reason = "unsubscribe";

    /// <inheritdoc />
    public Task<UnsubscribeTarget?> CheckAsync(string token) => tokens.VerifyAsync(token, CancellationToken.None);

    /// <inheritdoc />
    public async Task<UnsubscribeTarget?> UnsubscribeAsync(string token)
    {
        if (await tokens.VerifyAsync(token, CancellationToken.None) is not { } target) return null;
        // For good: an unsubscribe does not expire (RFC 8058 §3.1 has the sender stop; Gmail's rules ask within two days).
        await suppressions.AddAsync(target.TenantId, target.Address, Reason, null);
        return target;
    }
}
