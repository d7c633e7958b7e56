using Mail.Frontends.Smtp.Protocol;
using Mail.Grains.Interfaces.Delivery;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Interfaces.Outbound;
using Mail.Mime;
using Microsoft.Extensions.Logging;

namespace Mail.Frontends.Smtp.Session;

/// <summary>
/// Ends a transaction: refuses a submission whose header From is not the user's own (<see cref="HeaderFromRule"/>),
/// waits for the blob to be durable, hands the message to the delivery agent, and answers 250 only when every local mailbox has committed it and remote recipients are queued; on any
/// failure 451, so the client retries. The submission id is a hash of envelope and content, so a retry
/// after a lost reply is a no-op. A submitted message's <c>X-Mail-Class</c> field (transactional, marketing) picks the
/// stream class its remote recipients are sent under; anything else there counts as transactional.
/// </summary>
public static class DeliveryHandoff
{
    /// <summary>Starts the sink for a transaction's message, with trace headers; on the MX with sender authentication on, one that holds the message for the checks.</summary>
    public static MessageSink OpenSink(SmtpSession session, SmtpEnvelope envelope, CancellationToken ct)
    {
        var trace = TraceHeaders.For(session, envelope, DateTimeOffset.UtcNow);
        return session.Authenticator is null
            ? new MessageSink(session.Blobs, envelope.BlobTenant!, trace, session.Options.MaxMessageBytes, ct)
            : new MessageSink(session.Blobs, envelope.BlobTenant!, trace, session.Options.MaxMessageBytes,
                session.Options.InboundAuth.HoldBytes, session.Options.HostName, ct);
    }

    /// <summary>Completes the sink and delivers; returns the reply to send.</summary>
    public static async Task<SmtpReply> CompleteAsync(SmtpSession session, SmtpEnvelope envelope, MessageSink sink)
    {
        if (sink.Overflowed)
        {
            await sink.AbortAsync();
            return SmtpReplies.MessageTooBig;
        }
        if (session.Account is { } account && session.Options.RequireOwnHeaderFrom && HeaderFromRule.Refusal(account, sink.Prefix) is { } forged)
        {
            await sink.AbortAsync();
            return forged;
        }
        try
        {
            InboundDecision? decision = null;
            if (sink.Verifying)
            {
                using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Max(1, session.Options.InboundAuth.TimeoutSeconds)));
                try
                {
                    decision = await InboundAuthPolicy.DecideAsync(session, envelope, sink, budget.Token);
                }
                catch
                {
                    // A large message's staging blob must not outlive a failed check (the client gets 451 and resends).
                    await sink.AbortAsync();
                    throw;
                }
                if (decision.Refusal is { } refusal)
                {
                    await sink.AbortAsync();
                    return refusal;
                }
            }
            using var activity = Mail.Grains.Interfaces.Diagnostics.MailTelemetry.Source.StartActivity("smtp.data");
            activity?.SetTag("mail.session", session.Id);
            var (blob, hash) = await sink.CompleteAsync(decision?.ResultsField);
            var recipients = envelope.Recipients.Select(r => r.Address).ToArray();
            var submissionId = SubmissionId(envelope.From, recipients, hash);
            var routes = envelope.Recipients.Where(r => r.Route is not null).DistinctBy(r => r.Address).ToDictionary(r => r.Address, r => r.Route!);
            var result = await session.Grains.GetGrain<IDeliveryAgentGrain>(0).SubmitAsync(new Submission(
                submissionId, new StoredBlob(envelope.BlobTenant!, blob.Name, blob.Length), envelope.From, recipients,
                session.Account?.AccountId, DateTimeOffset.UtcNow, MessageSummaryReader.Read(sink.Prefix), routes, decision?.Folder,
                session.Account is null ? null : StreamClasses.Parse(HeaderFieldReader.First(sink.Prefix, StreamClasses.Header))));
            if (result.Recipients.All(r => r.Status == RecipientStatus.Rejected))
            {
                var detail = string.Join("; ", result.Recipients.Select(r => $"<{r.Address}>: {r.Detail}"));
                return result.Recipients.Any(r => r.Detail?.Contains("quota", StringComparison.OrdinalIgnoreCase) == true)
                    ? new SmtpReply(552, "5.2.2", $"Error: {detail}")
                    : new SmtpReply(550, "5.1.1", $"Error: {detail}");
            }
            foreach (var rejected in result.Recipients.Where(r => r.Status == RecipientStatus.Rejected))
            {
                session.Logger.LogWarning("Session {Session}: accepted message {Submission} not delivered to {Recipient}: {Detail}",
                    session.Id, submissionId, rejected.Address, rejected.Detail);
            }
            session.Commands = 0;
            return new SmtpReply(250, "2.0.0", $"Ok: queued as {submissionId[5..21]}");
        }
        catch (MailException e) when (e.Code == MailErrorCode.QuotaExceeded)
        {
            return new SmtpReply(552, "5.2.2", $"Error: {e.Message}");
        }
        catch (Exception e)
        {
            session.Logger.LogError(e, "Session {Session}: delivery failed; answering 451", session.Id);
            return SmtpReplies.TryAgain;
        }
    }

    /// <summary>
    /// The submission id of a message: a hash of the reverse-path, the recipients and the SHA-256 of the client's bytes
    /// (after DATA's dot-unstuffing, or the BDAT chunks), so the same message sent again gets the same id. Each local
    /// recipient's delivery id is this id, "/", and the account id (the delivery agent's rule).
    /// </summary>
    public static string SubmissionId(string from, IReadOnlyList<string> recipients, byte[] contentHash)
    {
        var text = $"{from}\n{string.Join(',', recipients)}\n{Convert.ToHexString(contentHash)}";
        return "smtp:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
    }
}
