namespace Mail.Grains.Reputation.Feedback;

/// <summary>What a complaint report (ARF, RFC 5965) says, with the parts of the reported message that identify it.</summary>
/// <param name="FeedbackType">Feedback-Type (§3.1), lower-cased: abuse, fraud, virus, other, not-spam, auth-failure.</param>
/// <param name="UserAgent">User-Agent (§3.1): the reporter's software.</param>
/// <param name="OriginalMailFrom">Original-Mail-From (§3.2) without angle brackets: our VERP return path when present.</param>
/// <param name="OriginalRcptTo">Original-Rcpt-To (§3.2), each without angle brackets: who complained.</param>
/// <param name="SourceIp">Source-IP (§3.2): the address the reported message came from, that is our sending IP.</param>
/// <param name="ReturnPath">Return-Path of the reported message (added at final delivery): our VERP return path.</param>
/// <param name="MessageRecipients">To and Cc addresses of the reported message.</param>
/// <param name="MessageId">Message-ID of the reported message.</param>
public sealed record ArfReport(
    string FeedbackType,
    string? UserAgent,
    string? OriginalMailFrom,
    IReadOnlyList<string> OriginalRcptTo,
    string? SourceIp,
    string? ReturnPath,
    IReadOnlyList<string> MessageRecipients,
    string? MessageId);
