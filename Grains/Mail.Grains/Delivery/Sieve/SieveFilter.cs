using System.Text;
using Mail.Grains.Interfaces.Delivery;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Mail.Grains.Delivery.Sieve;

/// <summary>
/// Runs a recipient's active Sieve script on a message at delivery, before anything is filed (so the mailbox event
/// names the final folder), and builds what leaves because of it: redirected copies (RFC 5228 §4.2, with a
/// Delivered-To field for loop detection) and vacation replies (RFC 5230, RFC 3834).
/// </summary>
public sealed class SieveFilter(IBlobStore blobs, IGrainFactory grains, IOptions<SieveLimits> options, Hosting.MailClock clock, ILogger<SieveFilter> logger)
{
    private static readonly string[] ListFields = ["List-Id", "List-Help", "List-Subscribe", "List-Unsubscribe", "List-Post", "List-Owner", "List-Archive"];

    private static readonly string[] RecipientFields = ["To", "Cc", "Bcc", "Resent-To", "Resent-Cc", "Resent-Bcc"];

    private SieveLimits Limits => options.Value;

    /// <summary>The decision of the account's active script, or null when it has none (plain delivery).</summary>
    public async Task<SieveDecision?> DecideAsync(string accountId, string envelopeFrom, string recipient, StoredBlob blob)
    {
        var active = await grains.GetGrain<ISieveScriptsGrain>(accountId).GetActiveAsync();
        if (active is null) return null;
        SieveScript script;
        try
        {
            script = SieveCompiler.Compile(active.Content);
        }
        catch (SieveException e)
        {
            // Stored scripts were compiled at upload; only a change of this server's rules can get here. RFC 5228 §2.10.6: keep.
            logger.LogError("Sieve script {Script} of {Account} no longer compiles ({Error}); keeping the message", active.Name, accountId, e.Message);
            return null;
        }
        var prefix = await ReadPrefixAsync(blob);
        var headerEnd = HeaderEnd(prefix);
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(new MemoryStream(prefix, writable: false));
        }
        catch (FormatException)
        {
            message = new MimeMessage();
        }
        var rawBody = Encoding.UTF8.GetString(prefix, headerEnd, prefix.Length - headerEnd);
        var outcome = new SieveInterpreter(new SieveMessage(envelopeFrom, recipient, blob.Length, message, rawBody), Limits, clock.GetUtcNow()).Run(script);
        foreach (var error in outcome.Errors)
        {
            logger.LogWarning("Sieve script {Script} of {Account}: {Error}; the message is kept", active.Name, accountId, error);
        }
        return new SieveDecision(LoopChecked(outcome, message, recipient, accountId), message, prefix[..headerEnd]);
    }

    /// <summary>
    /// The redirected copy for <paramref name="target"/>: the message with a Delivered-To field naming the recipient that
    /// redirected it, stored again, sent from that recipient's address (so SPF and bounces stay with us).
    /// </summary>
    public async Task<Submission> RedirectAsync(Submission original, StoredBlob blob, string tenantId, string recipient, string target, int index, MessageSummary summary)
    {
        var field = Encoding.ASCII.GetBytes($"Delivered-To: {recipient}\r\n");
        var copy = new MemoryStream();
        copy.Write(field);
        await using (var content = await blobs.OpenReadAsync(blob.TenantId, new BlobRef(blob.Name, blob.Length), CancellationToken.None))
        {
            await content.CopyToAsync(copy);
        }
        copy.Position = 0;
        var stored = await blobs.PutAsync(tenantId, copy, CancellationToken.None);
        return new Submission($"{original.SubmissionId}/redirect/{recipient}/{index}", new StoredBlob(tenantId, stored.Name, stored.Length),
            recipient, [target], null, DateTimeOffset.UtcNow, summary);
    }

    /// <summary>
    /// The vacation reply the decision asks for, or null when RFC 5230 says not to send one: no or a null sender
    /// (§4.6), mail from the user or from a list or robot (§4.6, RFC 3834 §2), the user not addressed in To/Cc/Bcc
    /// (§4.5), or a reply already sent to that sender within :days (§4.2).
    /// </summary>
    public async Task<Submission?> VacationAsync(Submission original, SieveDecision decision, string accountId, string tenantId, string recipient)
    {
        if (decision.Outcome.Vacation is not { } vacation) return null;
        var sender = original.EnvelopeFrom;
        if (sender.Length == 0 || !sender.Contains('@')) return null;
        var message = decision.Message;
        var own = vacation.Addresses.Append(recipient).Select(a => a.ToLowerInvariant()).ToHashSet();
        if (own.Contains(sender.ToLowerInvariant())) return null;
        var local = sender[..sender.LastIndexOf('@')].ToLowerInvariant();
        if (local is "mailer-daemon" or "listserv" or "majordomo" || local.StartsWith("owner-", StringComparison.Ordinal) || local.EndsWith("-request", StringComparison.Ordinal)) return null;
        var headers = message.Headers;
        if (headers["Auto-Submitted"] is { } auto && !auto.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase)) return null;
        if (ListFields.Any(headers.Contains)) return null;
        if (headers["Precedence"]?.Trim().ToLowerInvariant() is "bulk" or "list" or "junk") return null;
        var addressed = RecipientFields.SelectMany(f => headers.Where(h => h.Field.Equals(f, StringComparison.OrdinalIgnoreCase)))
            .SelectMany(h => InternetAddressList.TryParse(h.Value, out var list) ? list.Mailboxes.Select(m => m.Address.ToLowerInvariant()) : []);
        if (!addressed.Any(own.Contains)) return null;
        if (!await grains.GetGrain<ISieveScriptsGrain>(accountId).TryRecordVacationAsync(vacation.Handle, sender, vacation.Days)) return null;

        var reply = new MimeMessage();
        reply.From.Add(vacation.From is { } from ? MailboxAddress.Parse(from) : new MailboxAddress("", recipient));
        reply.To.Add(new MailboxAddress("", sender));
        reply.Subject = vacation.Subject ?? $"Auto: {message.Subject}";
        reply.Date = DateTimeOffset.UtcNow;
        reply.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(recipient[(recipient.LastIndexOf('@') + 1)..]);
        if (!string.IsNullOrEmpty(message.MessageId))
        {
            reply.InReplyTo = message.MessageId;
            foreach (var id in message.References) reply.References.Add(id);
            reply.References.Add(message.MessageId);
        }
        // RFC 3834 §5: an automatic reply says so, so that other responders (and our own) do not answer it.
        reply.Headers.Add("Auto-Submitted", "auto-replied");
        reply.Body = vacation.Mime
            ? MimeEntity.Load(new MemoryStream(Encoding.UTF8.GetBytes(vacation.Reason)))
            : new TextPart("plain") { Text = vacation.Reason };
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        var bytes = new MemoryStream();
        reply.WriteTo(format, bytes);
        var octets = bytes.ToArray();
        var stored = await blobs.PutAsync(tenantId, new MemoryStream(octets, writable: false), CancellationToken.None);
        // RFC 3834 §3.3 / RFC 5230 §5.1: the reply goes out with a null return path, so nothing ever answers it.
        return new Submission($"{original.SubmissionId}/vacation/{recipient}", new StoredBlob(tenantId, stored.Name, stored.Length),
            "", [sender], null, DateTimeOffset.UtcNow, Mail.Mime.MessageSummaryReader.Read(octets));
    }

    /// <summary>
    /// The flags of a filing that a mailbox can store: the five system flags (any case), and keywords that are IMAP atoms
    /// (RFC 9051 §9 flag-keyword); anything else a script names (\Recent, "\Foo", "a(b") is left out rather than failing
    /// the delivery.
    /// </summary>
    public static string[] StorableFlags(IEnumerable<string> flags)
    {
        var system = new[] { MessageFlags.Seen, MessageFlags.Answered, MessageFlags.Flagged, MessageFlags.Deleted, MessageFlags.Draft };
        return flags.Select(f => f.StartsWith('\\') ? system.FirstOrDefault(s => s.Equals(f, StringComparison.OrdinalIgnoreCase)) : IsAtom(f) ? f : null)
            .OfType<string>().Distinct().ToArray();

        static bool IsAtom(string f) => f.Length is > 0 and <= 100 && f.All(c => c is > ' ' and < (char)0x7F and not ('(' or ')' or '{' or '%' or '*' or '"' or '\\' or ']'));
    }

    /// <summary>
    /// Drops redirects that would loop: the message already went through this recipient (a Delivered-To field naming it)
    /// or through more forwarders than <see cref="SieveLimits.MaxRedirectHops"/>. If that leaves the message nowhere, it is kept.
    /// </summary>
    private SieveOutcome LoopChecked(SieveOutcome outcome, MimeMessage message, string recipient, string accountId)
    {
        if (outcome.Redirects.Count == 0) return outcome;
        var delivered = message.Headers.Where(h => h.Field.Equals("Delivered-To", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value.Trim().Trim('<', '>')).ToList();
        if (delivered.Count < Limits.MaxRedirectHops && !delivered.Any(d => d.Equals(recipient, StringComparison.OrdinalIgnoreCase))) return outcome;
        logger.LogWarning("Sieve redirect for {Account} not done: the message has already been delivered to {Recipient} or forwarded {Hops} times", accountId, recipient, delivered.Count);
        var filings = outcome.Filings.Count > 0 ? outcome.Filings : [new SieveFiling(null, [], false)];
        return outcome with { Redirects = [], Filings = filings };
    }

    private async Task<byte[]> ReadPrefixAsync(StoredBlob blob)
    {
        await using var stream = await blobs.OpenReadAsync(blob.TenantId, new BlobRef(blob.Name, blob.Length), CancellationToken.None);
        var prefix = new byte[Math.Min(blob.Length, Limits.MaxParsedBytes)];
        await stream.ReadExactlyAsync(prefix);
        return prefix;
    }

    private static int HeaderEnd(byte[] message)
    {
        var crlf = message.AsSpan().IndexOf("\r\n\r\n"u8);
        if (crlf >= 0) return crlf + 4;
        var lf = message.AsSpan().IndexOf("\n\n"u8);
        return lf >= 0 ? lf + 2 : message.Length;
    }
}
