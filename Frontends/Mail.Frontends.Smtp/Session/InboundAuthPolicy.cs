using System.Net;
using Mail.Frontends.Smtp.Protocol;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Security;
using Mail.Security.Dmarc;
using Microsoft.Extensions.Logging;

namespace Mail.Frontends.Smtp.Session;

/// <summary>
/// Checks a message received on the MX before it is answered (RFC 7489 §6.6.4 wants a reject given in the SMTP
/// transaction): DMARC reject → 550 5.7.1 (or Junk, as the recipients' tenants or <see cref="InboundAuthOptions.DmarcRejectAction"/>
/// choose), quarantine → Junk, and a From in one of our own domains that neither SPF nor DKIM authenticates is refused even where the domain
/// publishes no enforcing DMARC policy, since nobody but our own submission port may send as it.
/// </summary>
public static class InboundAuthPolicy
{
    /// <summary>The decision for the message in <paramref name="sink"/>.</summary>
    public static async Task<InboundDecision> DecideAsync(SmtpSession session, SmtpEnvelope envelope, MessageSink sink, CancellationToken ct)
    {
        var authenticator = session.Authenticator!;
        var request = new InboundAuthRequest(session.RemoteAddress, session.ClientName ?? "", envelope.From);
        InboundAuthVerdict verdict;
        await using (var received = await sink.OpenReceivedAsync())
        {
            verdict = await authenticator.EvaluateAsync(request, received, ct);
        }
        var field = verdict.ToField(session.Options.HostName);
        session.Logger.LogInformation("Session {Session}: {Results}", session.Id, field.Replace("\r\n\t", " ", StringComparison.Ordinal).TrimEnd());

        if (verdict.Dmarc.FromDomain is { } from && verdict.Dmarc.Result != "pass"
            && !authenticator.Dmarc.AlignedPass(from, verdict.MailFrom.Result, verdict.MailFrom.Domain, verdict.Dkim, strictDkim: false, strictSpf: false)
            && await session.Grains.GetGrain<IDomainGrain>(from).GetAsync() is not null)
        {
            return verdict.Temporary
                ? Refuse(451, "4.7.5", $"Cannot authenticate sender domain {from} now, try again later")
                : Refuse(550, "5.7.1", $"Message claims to be from {from}, a domain hosted here, but neither SPF nor DKIM authenticates it");
        }
        if (verdict.Dmarc.Failed)
        {
            switch (verdict.Dmarc.Disposition)
            {
                case DmarcPolicy.Reject when await RejectsAsync(session, envelope):
                    return Refuse(550, "5.7.1", $"Message rejected by the DMARC policy of {verdict.Dmarc.FromDomain}");
                case DmarcPolicy.Reject or DmarcPolicy.Quarantine:
                    return new InboundDecision(null, field, SpecialFolders.Junk);
            }
        }
        return new InboundDecision(null, field, null);
    }

    /// <summary>
    /// Whether a DMARC reject is answered 550 5.7.1. The reply to DATA covers every recipient, so it is a refusal only when
    /// each recipient's tenant wants one (a tenant without its own choice follows the server's setting); if any tenant
    /// quarantines, the message is filed in Junk for all, so that no tenant loses mail another one chose to keep.
    /// </summary>
    private static async Task<bool> RejectsAsync(SmtpSession session, SmtpEnvelope envelope)
    {
        var fallback = session.Options.InboundAuth.DmarcRejectAction == DmarcRejectAction.Reject ? DmarcRejectActions.Reject : DmarcRejectActions.Quarantine;
        var tenants = envelope.Recipients.Select(r => r.Route?.TenantId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (tenants.Count == 0) return fallback == DmarcRejectActions.Reject;
        foreach (var tenant in tenants)
        {
            var info = await session.Grains.GetGrain<ITenantGrain>(tenant).GetAsync();
            if ((info.DmarcRejectAction ?? fallback) != DmarcRejectActions.Reject) return false;
        }
        return true;
    }

    private static InboundDecision Refuse(int code, string status, string text) => new(new SmtpReply(code, status, text), null, null);
}
