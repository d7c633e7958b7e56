namespace Mail.Grains.Interfaces.Reputation;

/// <summary>The events a tenant's webhooks can receive.</summary>
public static class WebhookEvents
{
    /// <summary>A remote recipient was accepted onto the outbound queue.</summary>
    public const string Sent = "sent";

    /// <summary>The recipient's MX accepted the message (250).</summary>
    public const string Delivered = "delivered";

    /// <summary>A temporary failure (4xx or no connection); another attempt is scheduled.</summary>
    public const string Deferred = "deferred";

    /// <summary>A permanent failure: a 5xx reply, the queue lifetime ran out, or a later hop sent a bounce back.</summary>
    public const string Bounced = "bounced";

    /// <summary>The recipient reported the message as spam (an ARF report).</summary>
    public const string Complained = "complained";

    /// <summary>The recipient unsubscribed.</summary>
    public const string Unsubscribed = "unsubscribed";

    /// <summary>A send to a suppressed address was skipped, never attempted.</summary>
    public const string Suppressed = "suppressed";

    /// <summary>Every event.</summary>
    public static readonly IReadOnlyList<string> All = [Sent, Delivered, Deferred, Bounced, Complained, Unsubscribed, Suppressed];

    /// <summary>Whether <paramref name="name"/> is one of <see cref="All"/>.</summary>
    public static bool IsValid(string? name) => name is not null && All.Contains(name);
}
