using Mail.Grains.Interfaces.Delivery;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Silo.Cluster;

/// <summary>
/// Retries, from the caller's side, the grain calls that are idempotent by an id they carry when the cluster fails them
/// for a reason that says nothing about the request: the target silo died or was unreachable, the call timed out, or
/// the mailbox's activation was fenced by a newer one. A delivery (its delivery id) and a submission (its submission
/// id) are such calls: when the first attempt committed before its silo died, the retry finds the id and answers with
/// what was stored, so the frontend can acknowledge instead of answering "try again" to a client that would then send
/// the message twice (IMAP APPEND has no idempotence of its own). Up to 5 retries over 7.75 s, about the time
/// membership needs to declare a killed silo dead (<see cref="FailureDetection"/>).
/// </summary>
public sealed class IdempotentCallRetry(ILogger<IdempotentCallRetry> logger) : IOutgoingGrainCallFilter
{
    private static readonly TimeSpan[] Delays =
        [TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)];

    // A retry goes through the filter pipeline again; it must not start retries of its own.
    private static readonly AsyncLocal<bool> Retrying = new();

    /// <inheritdoc />
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        var again = Retry(context);
        if (again is null || Retrying.Value)
        {
            await context.Invoke();
            return;
        }
        try
        {
            await context.Invoke();
            return;
        }
        catch (Exception e) when (IsClusterFailure(e))
        {
            logger.LogInformation("{Method} on {Grain} failed ({Reason}: {Detail}); retrying with the same id",
                context.InterfaceMethod?.Name, context.TargetId, e.GetType().Name, e.Message);
        }
        Retrying.Value = true;
        for (var attempt = 0; ; attempt++)
        {
            await Task.Delay(Delays[attempt]);
            try
            {
                context.Result = await again();
                return;
            }
            catch (Exception e) when (attempt + 1 < Delays.Length && IsClusterFailure(e))
            {
                logger.LogInformation("{Method} on {Grain}: retry {Attempt} failed ({Reason})", context.InterfaceMethod?.Name, context.TargetId, attempt + 1, e.GetType().Name);
            }
        }
    }

    /// <summary>The interface methods this filter retries: idempotent by the id their first argument carries.</summary>
    public static readonly IReadOnlySet<System.Reflection.MethodInfo> Methods = new HashSet<System.Reflection.MethodInfo>
    {
        typeof(IMailboxGrain).GetMethod(nameof(IMailboxGrain.DeliverAsync))!,
        typeof(IDeliveryAgentGrain).GetMethod(nameof(IDeliveryAgentGrain.SubmitAsync))!,
    };

    /// <summary>Whether a failure is the cluster's (the request may or may not have been applied), not the request's.</summary>
    public static bool IsClusterFailure(Exception e) =>
        e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException or MailException { Code: MailErrorCode.Fenced };

    private static Func<Task<object?>>? Retry(IOutgoingGrainCallContext context) => context.InterfaceMethod?.Name switch
    {
        nameof(IMailboxGrain.DeliverAsync) when context.Grain is IMailboxGrain mailbox && context.Request.GetArgument(0) is MessageDelivery delivery =>
            async () => await mailbox.DeliverAsync(delivery),
        nameof(IDeliveryAgentGrain.SubmitAsync) when context.Grain is IDeliveryAgentGrain agent && context.Request.GetArgument(0) is Submission submission =>
            async () => await agent.SubmitAsync(submission),
        _ => null,
    };
}
