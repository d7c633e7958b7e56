namespace Mail.Testing;

/// <summary>How a <see cref="TestSmtpReceiver"/> treats the next commands; settable at any time.</summary>
public enum ReceiverMode
{
    /// <summary>Accept every transaction (recipients named by RejectRecipient/DeferRecipient are still refused).</summary>
    Accept,
    /// <summary>Answer every RCPT with <see cref="TestSmtpReceiver.DeferReply"/> (4xx).</summary>
    DeferRecipients,
    /// <summary>Answer every RCPT with <see cref="TestSmtpReceiver.RejectReply"/> (5xx).</summary>
    RejectRecipients,
    /// <summary>Take the data, then answer with <see cref="TestSmtpReceiver.DeferReply"/>.</summary>
    DeferData,
    /// <summary>Take the data, then answer with <see cref="TestSmtpReceiver.RejectReply"/>.</summary>
    RejectData,
    /// <summary>Send the greeting, then close the connection.</summary>
    DropAfterGreeting,
    /// <summary>Close the connection after the first bytes of message data.</summary>
    DropMidData,
}
