using MimeKit;

namespace Mail.Frontends.Http.Messages;

/// <summary>
/// How an attachment is served: always as a download (RFC 6266) with a file name that cannot break the header or name a
/// path, and with a content type a browser will not run. Only types that render inertly keep theirs; HTML, SVG, XML,
/// scripts and everything else become application/octet-stream, and nosniff stops the browser guessing (Fetch standard).
/// </summary>
public static class AttachmentDownload
{
    /// <summary>The types served as they are: images and documents a browser displays without running script.</summary>
    public static readonly IReadOnlySet<string> InertTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain",
    };

    /// <summary>Longest file name offered, in characters.</summary>
    public const int MaxFileNameLength = 200;

    /// <summary>The Content-Type to serve <paramref name="part"/> with; text/plain keeps a well-formed charset.</summary>
    public static string ContentType(MimeEntity part)
    {
        var type = part.ContentType.MimeType;
        if (!InertTypes.Contains(type)) return "application/octet-stream";
        type = type.ToLowerInvariant();
        var charset = part.ContentType.Charset;
        return type == "text/plain" && charset is { Length: > 0 and <= 40 } && charset.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')
            ? $"{type}; charset={charset}"
            : type;
    }

    /// <summary>
    /// The attachment's name for Content-Disposition: its last path segment, controls, quotes and backslashes replaced,
    /// at most <see cref="MaxFileNameLength"/> characters; "attachment-N" when nothing is left.
    /// </summary>
    public static string FileName(MimeEntity part, int index)
    {
        var name = MessageView.FileName(part, index);
        name = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
        var safe = new string(name.Select(c => char.IsControl(c) || c is '"' ? '_' : c).ToArray()).Trim().TrimStart('.');
        if (safe.Length > MaxFileNameLength) safe = safe[..MaxFileNameLength];
        return safe.Length == 0 ? $"attachment-{index}" : safe;
    }
}
