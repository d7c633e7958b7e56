using Mail.Security.Arc;
using Mail.Security.Dkim;
using Mail.Security.Dmarc;
using Mail.Security.Dns;
using Mail.Security.Spf;
using MimeKit;

namespace Mail.Security;

/// <summary>
/// Runs the inbound checks of one message: SPF for HELO and MAIL FROM (RFC 7208 §2.3, §2.4), every DKIM signature
/// (RFC 6376), the ARC chain (RFC 8617) and DMARC (RFC 7489) over their results.
/// </summary>
public sealed class InboundAuthenticator(IAuthDns dns, PublicSuffixList suffixes, Func<int> percentile)
{
    private readonly DnsDkimKeyLocator _keys = new(dns);

    /// <summary>DMARC over this authenticator's resolver and suffix list.</summary>
    public DmarcEvaluator Dmarc { get; } = new(dns, suffixes, percentile);

    /// <summary>Checks <paramref name="message"/> (the bytes as received, seekable: MimeKit then keeps only headers in memory).</summary>
    public async Task<InboundAuthVerdict> EvaluateAsync(InboundAuthRequest request, Stream message, CancellationToken ct)
    {
        var (helo, mailFrom) = await SpfAsync(request, ct);
        MimeMessage mime;
        try
        {
            mime = await MimeMessage.LoadAsync(ParserOptions.Default, message, persistent: message.CanSeek, ct);
        }
        catch (FormatException)
        {
            // Nothing MimeKit can read as a header section (an empty message): no signature, no From, DMARC permerror.
            return new InboundAuthVerdict(mailFrom, helo, [], "none", await Dmarc.EvaluateAsync(null, mailFrom.Result, mailFrom.Domain, [], ct));
        }
        var dkim = await DkimCheck.VerifyAsync(mime, _keys, ct);
        var arc = await ArcCheck.VerifyAsync(mime, _keys, ct);
        var dmarc = await Dmarc.EvaluateAsync(FromDomain(mime), mailFrom.Result, mailFrom.Domain, dkim, ct);
        return new InboundAuthVerdict(mailFrom, helo, dkim, arc, dmarc);
    }

    /// <summary>The SPF verdicts for HELO and MAIL FROM; a null reverse-path is checked as postmaster@HELO (RFC 7208 §2.4).</summary>
    public async Task<(SpfVerdict Helo, SpfVerdict MailFrom)> SpfAsync(InboundAuthRequest request, CancellationToken ct)
    {
        var heloName = request.Helo.Trim().TrimEnd('.').ToLowerInvariant();
        var heloRequest = new SpfRequest(request.Client, "postmaster@" + heloName, heloName);
        // An address literal or a bare word is no domain to check (RFC 7208 §2.3).
        var helo = heloName.StartsWith('[') || !heloName.Contains('.')
            ? new SpfVerdict(SpfResult.None, heloName, heloName)
            : new SpfVerdict(await SpfEvaluator.CheckHostAsync(dns, heloRequest, heloName, ct), heloName, heloName);
        if (request.MailFrom.Length == 0) return (helo, helo with { Identity = "postmaster@" + heloName });
        var at = request.MailFrom.LastIndexOf('@');
        var domain = request.MailFrom[(at + 1)..].TrimEnd('.').ToLowerInvariant();
        var result = await SpfEvaluator.CheckHostAsync(dns, new SpfRequest(request.Client, request.MailFrom, heloName), domain, ct);
        return (helo, new SpfVerdict(result, domain, request.MailFrom));
    }

    /// <summary>The RFC5322.From domain when the message has exactly one From field with one address (RFC 7489 §6.6.1), else null.</summary>
    public static string? FromDomain(MimeMessage message)
    {
        if (message.Headers.Count(h => h.Id == HeaderId.From) != 1) return null;
        var mailboxes = message.From.Mailboxes.ToList();
        return mailboxes.Count == 1 && mailboxes[0].Domain is { Length: > 0 } domain ? domain.TrimEnd('.').ToLowerInvariant() : null;
    }
}
