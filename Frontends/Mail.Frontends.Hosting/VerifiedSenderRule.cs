using Mail.Grains.Interfaces.Outbound;

namespace Mail.Frontends.Hosting;

/// <summary>
/// "An unverified domain may not send": mail that leaves the platform is refused while its sender
/// domain's DKIM record is not verified (Mail:Outbound:RequireVerifiedDomains). Mail between hosted
/// mailboxes never leaves, so DKIM does not matter to it and it is never refused here: the submission
/// frontend applies the rule at the first remote RCPT, the API at a send with a remote recipient.
/// </summary>
public static class VerifiedSenderRule
{
    /// <summary>The configuration key of the switch (default true).</summary>
    public const string ConfigurationKey = "Mail:Outbound:RequireVerifiedDomains";

    /// <summary>Null when <paramref name="senderDomain"/> may send off the platform, else the reason it may not.</summary>
    public static async Task<string?> RefusalAsync(IGrainFactory grains, string senderDomain) =>
        await grains.GetGrain<ISendingDomainGrain>(senderDomain).IsDkimVerifiedAsync()
            ? null
            : $"sender domain {senderDomain} is not verified for sending (publish its DKIM record, then POST /v1/admin/domains/{senderDomain}/verify)";
}
