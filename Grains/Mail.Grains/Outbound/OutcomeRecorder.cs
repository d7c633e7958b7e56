using Mail.Grains.Hosting;
using Mail.Grains.Interfaces.Outbound;
using Mail.Grains.Outbound.Bounces;
using Mail.Grains.Outbound.Smtp;
using Mail.Grains.Reputation;
using Microsoft.Extensions.Options;

namespace Mail.Grains.Outbound;

/// <summary>
/// Turns what happened to a job into row outcomes and records them: accepted recipients are delivered,
/// 5xx ones failed, 4xx ones deferred by the <see cref="RetrySchedule"/> until their lifetime runs out,
/// after which they fail with the last temporary reply (as Postfix bounces an expired message). Once recorded, the
/// outcomes are counted for sender reputation (<see cref="ReputationObserver"/>).
/// </summary>
public sealed class OutcomeRecorder(OutcomeWriter writer, ReputationObserver reputation, MailClock clock, IOptions<OutboundOptions> options)
{
    private readonly RetrySchedule _schedule = RetrySchedule.From(options.Value);

    /// <summary>Records one failure for every recipient of the job.</summary>
    public Task<IReadOnlyList<RowOutcome>> RecordFailureAsync(OutboundJob job, DeliveryFailure failure) =>
        RecordAsync(job, job.Recipients.Select(r => new Attempt(r, false, failure.Permanent, failure.Text, failure.StatusCode, failure.RemoteMta)));

    /// <summary>Records the per-recipient replies of one SMTP transaction.</summary>
    public Task<IReadOnlyList<RowOutcome>> RecordTransactionAsync(OutboundJob job, TransactionResult result)
    {
        var byAddress = result.Recipients.ToDictionary(r => r.Address, StringComparer.OrdinalIgnoreCase);
        return RecordAsync(job, job.Recipients.Select(r =>
        {
            var answer = byAddress[r.Address];
            var code = answer.Reply.EnhancedCode ?? (answer.Accepted ? "2.0.0" : DeliveryStatusCodes.FromReply(answer.Reply.Code, answer.Reply.Text));
            return new Attempt(r, answer.Accepted, answer.Reply.IsPermanent, answer.Reply.ToString(), code, result.HostName);
        }));
    }

    private async Task<IReadOnlyList<RowOutcome>> RecordAsync(OutboundJob job, IEnumerable<Attempt> attempts)
    {
        var now = clock.GetUtcNow();
        var outcomes = attempts.Select(a => Outcome(job, a, now)).ToArray();
        await writer.RecordAsync(outcomes, job.LeasedUntil);
        await reputation.ObserveAsync(job, outcomes);
        return outcomes;
    }

    private RowOutcome Outcome(OutboundJob job, Attempt a, DateTimeOffset now)
    {
        if (a.Accepted) return new RowOutcome(a.Recipient.RowId, OutcomeKind.Delivered, a.Reply, a.StatusCode, a.RemoteMta);
        var next = a.Permanent ? null : _schedule.NextAttempt(a.Recipient.Attempts + 1, now, job.ExpiresAt, Random.Shared.NextDouble());
        return next is null
            ? new RowOutcome(a.Recipient.RowId, OutcomeKind.Failed, a.Reply, a.StatusCode, a.RemoteMta)
            : new RowOutcome(a.Recipient.RowId, OutcomeKind.Deferred, a.Reply, a.StatusCode, a.RemoteMta, next);
    }

    private sealed record Attempt(OutboundRecipient Recipient, bool Accepted, bool Permanent, string Reply, string StatusCode, string? RemoteMta);
}
