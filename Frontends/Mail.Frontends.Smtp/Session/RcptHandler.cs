using System.Globalization;
using Mail.Frontends.Hosting;
using Mail.Frontends.Smtp.Protocol;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Bulk;
using Mail.Grains.Interfaces.Delivery;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Interfaces.Reputation;

namespace Mail.Frontends.Smtp.Session;

/// <summary>
/// RCPT TO (RFC 5321 §4.1.1.3) with NOTIFY/ORCPT (RFC 3461). Unknown local users are refused now
/// (550 5.1.1), full mailboxes too (552 5.2.2); the MX relays nothing (554 5.7.1) but takes reports to our
/// VERP return paths, at the feedback loop address (<paramref name="feedbackAddress"/>, complaint reports: it must be at a
/// hosted domain, whose tenant stores them) and at List-Unsubscribe mailto addresses with a valid token; an authenticated
/// submission may address anyone, but a remote recipient only while the
/// sender's domain is verified for sending when <paramref name="requireVerifiedDomains"/> (550 5.7.1,
/// <see cref="VerifiedSenderRule"/>). Local routes come through <see cref="RecipientCache"/>.
/// </summary>
public sealed class RcptHandler(bool requireVerifiedDomains, string? feedbackAddress = null, RecipientCache? recipients = null) : ISmtpCommandHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase) { "NOTIFY", "ORCPT" };

    /// <inheritdoc />
    public string Verb => "RCPT";

    /// <inheritdoc />
    public async Task HandleAsync(SmtpSession session, string argument, CancellationToken ct) =>
        session.Reply(await CheckAsync(session, argument));

    private async Task<SmtpReply> CheckAsync(SmtpSession session, string argument)
    {
        if (session.Envelope is not { } envelope) return SmtpReplies.BadSequence("need MAIL command");
        var (path, error) = PathArgument.Parse(argument, "TO", allowNull: false);
        if (path is null) return SmtpReplies.BadPath(error!);
        if (path.Parameters.Keys.FirstOrDefault(k => !Known.Contains(k)) is { } unknown) return new SmtpReply(555, "5.5.4", $"Error: unsupported parameter {unknown}");
        if (envelope.Recipients.Count >= session.Options.MaxRecipients) return new SmtpReply(452, "4.5.3", "Error: too many recipients");

        var address = AddressKey.Normalize(path.Address);
        if (address is null) return SmtpReplies.Syntax($"Syntax: '{path.Address}' is not a valid mailbox");
        var route = await (recipients ?? Uncached).ResolveAsync(session.Grains, address);
        if (route is null)
        {
            var hosted = await session.Grains.GetGrain<IDomainGrain>(AddressKey.DomainOf(address)).GetAsync();
            var report = VerpAddress.TryParse(address, out _, out _) || FeedbackAddress.Matches(feedbackAddress, address);
            if (hosted is not null && !report && !await IsUnsubscribeAsync(session, address))
            {
                return new SmtpReply(550, "5.1.1", $"<{path.Address}>: Recipient address rejected: User unknown");
            }
            if (hosted is not null)
            {
                // A VERP return path of ours or the feedback address (bounce and complaint reports come here), or a
                // List-Unsubscribe mailto address (RFC 2369): the delivery agent reads the reports and applies the unsubscribe.
                envelope.BlobTenant ??= hosted.TenantId;
                envelope.Recipients.Add((address, null));
                return SmtpReplies.Ok;
            }
            if (!session.IsSubmission) return new SmtpReply(554, "5.7.1", $"<{path.Address}>: Relay access denied");
            if (requireVerifiedDomains
                && await VerifiedSenderRule.RefusalAsync(session.Grains, AddressKey.DomainOf(AddressKey.Normalize(envelope.From)!)) is { } refusal)
            {
                return new SmtpReply(550, "5.7.1", $"<{envelope.From}>: {refusal}");
            }
        }
        else
        {
            var quota = await session.Grains.GetGrain<IMailboxGrain>(route.AccountId).GetQuotaAsync();
            var announced = envelope.Parameters.TryGetValue("SIZE", out var size) && size is not null ? long.Parse(size, CultureInfo.InvariantCulture) : 0;
            if (quota.UsedBytes + Math.Max(1, announced) > quota.LimitBytes)
            {
                return new SmtpReply(552, "5.2.2", $"<{path.Address}>: Recipient address rejected: mailbox full");
            }
            envelope.BlobTenant ??= route.TenantId;
        }
        envelope.Recipients.Add((address, route));
        return SmtpReplies.Ok;
    }

    private static readonly RecipientCache Uncached = new(TimeSpan.Zero, 0);

    /// <summary>Whether the address is an unsubscribe+token address whose token verifies (a forged one is an unknown user).</summary>
    private static async Task<bool> IsUnsubscribeAsync(SmtpSession session, string address) =>
        UnsubscribeAddress.TryParse(address, out var token) && await session.Grains.GetGrain<IUnsubscribeGrain>(0).CheckAsync(token) is not null;
}
