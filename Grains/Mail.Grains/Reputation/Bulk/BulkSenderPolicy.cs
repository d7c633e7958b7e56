using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Outbound;
using MimeKit;

namespace Mail.Grains.Reputation.Bulk;

/// <summary>
/// Who may send a bulk job: an address in one of the tenant's own domains, and only a domain whose SPF, DKIM and DMARC
/// records are verified, as Gmail's and Yahoo's sender rules (February 2024) require of anyone sending 5,000 messages a day.
/// </summary>
public static class BulkSenderPolicy
{
    /// <summary>
    /// The From mailbox (address normalized) of a job the tenant may send; otherwise throws Invalid (not an address) or
    /// Forbidden (another's domain, or records not verified), saying what to do. With <paramref name="requireAuthenticated"/>
    /// off (development only) the records are not looked at.
    /// </summary>
    public static async Task<MailboxAddress> CheckAsync(IGrainFactory grains, string tenantId, string from, bool requireAuthenticated)
    {
        if (!MailboxAddress.TryParse(ParserOptions.Default, from, out var mailbox) || AddressKey.Normalize(mailbox.Address) is not { } address)
        {
            throw new MailException(MailErrorCode.Invalid, $"from '{from}' is not an e-mail address.");
        }
        var domain = AddressKey.DomainOf(address);
        var hosted = await grains.GetGrain<IDomainGrain>(domain).GetAsync();
        if (hosted?.TenantId != tenantId) throw new MailException(MailErrorCode.Forbidden, $"{domain} is not one of this tenant's domains.");
        if (requireAuthenticated && await grains.GetGrain<ISendingDomainGrain>(domain).GetAuthenticationAsync() is { AllVerified: false } auth)
        {
            throw new MailException(MailErrorCode.Forbidden,
                $"Bulk mail from {domain} needs verified SPF, DKIM and DMARC records (Gmail and Yahoo require them of bulk senders); " +
                $"now SPF is {auth.Spf}, DKIM {auth.Dkim}, DMARC {auth.Dmarc}. Publish the records of GET /v1/admin/domains/{domain}/dns, " +
                $"then POST /v1/admin/domains/{domain}/verify.");
        }
        return new MailboxAddress(mailbox.Name ?? "", address);
    }
}
