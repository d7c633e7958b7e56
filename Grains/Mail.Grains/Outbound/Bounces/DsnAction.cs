namespace Mail.Grains.Outbound.Bounces;

/// <summary>The Action of one recipient in a delivery status notification, RFC 3464 §2.3.3 (written lower-case).</summary>
public enum DsnAction
{
    /// <summary>Delivery failed and will not be retried.</summary>
    Failed,

    /// <summary>Not delivered yet; the MTA keeps retrying (RFC 3464 §2.3.3 "delayed").</summary>
    Delayed,

    /// <summary>Delivered to the recipient's mailbox.</summary>
    Delivered,

    /// <summary>Handed to a system that sends no further notifications.</summary>
    Relayed,

    /// <summary>Delivered and forwarded to several further recipients.</summary>
    Expanded,
}
