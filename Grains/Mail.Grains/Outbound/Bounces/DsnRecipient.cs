namespace Mail.Grains.Outbound.Bounces;

/// <summary>One recipient's per-recipient fields of a DSN, RFC 3464 §2.3.</summary>
/// <param name="FinalRecipient">The address delivery was attempted to (Final-Recipient, §2.3.2).</param>
/// <param name="Action">What happened (§2.3.3).</param>
/// <param name="Status">RFC 3463 enhanced status code, e.g. "5.1.1" (§2.3.4).</param>
/// <param name="LastAttemptDate">When delivery was last attempted (§2.3.7).</param>
/// <param name="OriginalRecipient">The ORCPT value (RFC 3461 §4.2), "type;address" or a bare address (§2.3.1).</param>
/// <param name="RemoteMta">Host name of the MTA that gave the reply (§2.3.5).</param>
/// <param name="DiagnosticCode">The remote SMTP reply, e.g. "550 5.1.1 &lt;x@y&gt;: user unknown"; lines of a multi-line reply may be separated by CRLF (§2.3.6).</param>
/// <param name="WillRetryUntil">For <see cref="DsnAction.Delayed"/>: when the MTA gives up (§2.3.8).</param>
public sealed record DsnRecipient(
    string FinalRecipient,
    DsnAction Action,
    string Status,
    DateTimeOffset LastAttemptDate,
    string? OriginalRecipient = null,
    string? RemoteMta = null,
    string? DiagnosticCode = null,
    DateTimeOffset? WillRetryUntil = null);
