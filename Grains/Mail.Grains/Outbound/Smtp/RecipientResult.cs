namespace Mail.Grains.Outbound.Smtp;

/// <summary>
/// What became of one recipient: accepted with the final reply to the data, or not, with the reply that refused it
/// (its RCPT reply, or the MAIL or data reply that failed the whole transaction).
/// </summary>
public sealed record RecipientResult(string Address, bool Accepted, SmtpReplyInfo Reply);
