namespace Mail.Grains.Outbound.Bounces;

/// <summary>Everything a delivery status notification about one queued message says, RFC 3464 §2.2 and RFC 6522.</summary>
/// <param name="ReportingMta">Our host name (Reporting-MTA, RFC 3464 §2.2.2; also the MAILER-DAEMON domain).</param>
/// <param name="NotifiedSender">The original envelope sender, to whom the DSN goes (To:).</param>
/// <param name="ArrivalDate">When we accepted the original message (Arrival-Date, §2.2.5).</param>
/// <param name="Recipients">One entry per recipient being reported; at least one.</param>
/// <param name="OriginalHeaders">The stored message's header block only; cut at the first blank line and at <see cref="DsnBuilder.MaxOriginalHeaderBytes"/>.</param>
/// <param name="OriginalSubject">The original Subject, for the human-readable part.</param>
/// <param name="OriginalMessageId">The original Message-ID, for In-Reply-To and References.</param>
/// <param name="OriginalEnvelopeId">The ENVID parameter of MAIL FROM (RFC 3461 §4.4; Original-Envelope-Id, §2.2.1).</param>
/// <param name="Date">Date of the DSN itself; the current time when null.</param>
public sealed record DsnReport(
    string ReportingMta,
    string NotifiedSender,
    DateTimeOffset ArrivalDate,
    IReadOnlyList<DsnRecipient> Recipients,
    ReadOnlyMemory<byte> OriginalHeaders,
    string? OriginalSubject = null,
    string? OriginalMessageId = null,
    string? OriginalEnvelopeId = null,
    DateTimeOffset? Date = null);
