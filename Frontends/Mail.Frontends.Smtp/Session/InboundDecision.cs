using Mail.Frontends.Smtp.Protocol;

namespace Mail.Frontends.Smtp.Session;

/// <summary>What sender authentication decided for a message: a refusal, or the results field to put on top and the folder to file it in (null: INBOX).</summary>
public sealed record InboundDecision(SmtpReply? Refusal, string? ResultsField, string? Folder);
