namespace Mail.Frontends.Http.Api;

/// <summary>Body of POST /v1/send; <see cref="Class"/> is the stream class of remote recipients (transactional, the default, or marketing).</summary>
public sealed record SendRequest(
    IReadOnlyList<string>? To,
    IReadOnlyList<string>? Cc,
    IReadOnlyList<string>? Bcc,
    string? Subject,
    string? Text,
    string? Html,
    IReadOnlyList<AttachmentUpload>? Attachments,
    string? From = null,
    string? InReplyTo = null,
    IReadOnlyList<string>? References = null,
    string? Class = null);

/// <summary>One attachment of a send request.</summary>
public sealed record AttachmentUpload(string? Filename, string? ContentType, string? ContentBase64);

/// <summary>Answer of POST /v1/send.</summary>
public sealed record SendResponse(string Id, string MessageId, IReadOnlyList<RecipientResult> Recipients);

/// <summary>What happened to one recipient.</summary>
public sealed record RecipientResult(string Address, string Status, string? Detail);
