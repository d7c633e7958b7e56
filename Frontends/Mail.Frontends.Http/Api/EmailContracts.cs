using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Http.Api;

/// <summary>A message in a listing.</summary>
public sealed record EmailItem(
    string Id,
    string Folder,
    string From,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string Subject,
    DateTimeOffset Date,
    string Preview,
    bool Unread,
    IReadOnlyList<string> Flags,
    IReadOnlyList<string> Labels,
    bool HasAttachments,
    long Size,
    string ThreadId)
{
    /// <summary>The listing view of a message row.</summary>
    public static EmailItem Of(MessageRecord m) => new(
        m.MessageId.ToString(System.Globalization.CultureInfo.InvariantCulture), m.Folder, m.Summary.From, m.Summary.To, m.Summary.Cc,
        m.Summary.Subject, m.Summary.Date ?? m.InternalDate, m.Summary.Preview, !m.Flags.Contains(MessageFlags.Seen), m.Flags, m.Labels,
        m.Summary.HasAttachments, m.Size, m.ThreadId.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>A page of a listing.</summary>
public sealed record EmailPage(IReadOnlyList<EmailItem> Items, int Page, int PageSize, long Total);

/// <summary>A message parsed for display; <see cref="Auth"/> is the MX's sender verdict, null for mail that did not come through it.</summary>
public sealed record EmailDetail(
    EmailItem Summary,
    string? MessageId,
    string? InReplyTo,
    IReadOnlyList<HeaderField> Headers,
    string? Text,
    string? Html,
    IReadOnlyList<AttachmentInfo> Attachments,
    AuthVerdict? Auth = null);

/// <summary>SPF (for MAIL FROM), DKIM (pass if any signature passed) and DMARC results, as the MX recorded them (RFC 8601 result names).</summary>
public sealed record AuthVerdict(string? Spf, string? Dkim, string? Dmarc);

/// <summary>One header field.</summary>
public sealed record HeaderField(string Name, string Value);

/// <summary>One attachment of a message; <see cref="Index"/> addresses it in /attachments/{index}.</summary>
public sealed record AttachmentInfo(int Index, string Filename, string ContentType, long Size);

/// <summary>Body of PATCH /v1/emails/{id}: each member left out is left alone.</summary>
public sealed record EmailPatch(
    bool? Unread,
    bool? Flagged,
    IReadOnlyList<string>? AddFlags,
    IReadOnlyList<string>? RemoveFlags,
    IReadOnlyList<string>? AddLabels,
    IReadOnlyList<string>? RemoveLabels,
    string? Folder);
