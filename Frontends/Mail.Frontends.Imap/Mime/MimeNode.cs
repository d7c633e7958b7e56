using MimeKit;

namespace Mail.Frontends.Imap.Mime;

/// <summary>
/// One entity of a message located by byte offsets, so every section of RFC 9051 §6.4.5 can be cut out of the
/// original octets exactly: header [HeaderStart, BodyStart) including the blank line, body [BodyStart, BodyEnd).
/// </summary>
public sealed class MimeNode
{
    /// <summary>First octet of the header.</summary>
    public required int HeaderStart { get; init; }

    /// <summary>First octet of the body (after the blank line ending the header).</summary>
    public required int BodyStart { get; init; }

    /// <summary>One past the last octet of the body.</summary>
    public required int BodyEnd { get; init; }

    /// <summary>The header fields in order.</summary>
    public required IReadOnlyList<HeaderField> Fields { get; init; }

    /// <summary>The Content-Type (defaulted per RFC 2045 §5.2 and RFC 2046 §5.1.5).</summary>
    public required ContentType ContentType { get; init; }

    /// <summary>The parts of a multipart entity.</summary>
    public IReadOnlyList<MimeNode> Parts { get; init; } = [];

    /// <summary>The encapsulated message of a message/rfc822 entity.</summary>
    public MimeNode? Message { get; init; }

    /// <summary>Whether this is a multipart entity.</summary>
    public bool IsMultipart => ContentType.MediaType.Equals("multipart", StringComparison.OrdinalIgnoreCase);

    /// <summary>Body size in octets.</summary>
    public int BodySize => BodyEnd - BodyStart;
}
