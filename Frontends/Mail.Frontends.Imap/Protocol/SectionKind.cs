namespace Mail.Frontends.Imap.Protocol;

/// <summary>The section-text part of a body section (RFC 9051 §6.4.5).</summary>
public enum SectionKind
{
    /// <summary>The whole part (or message, with no part number).</summary>
    All,
    /// <summary>HEADER.</summary>
    Header,
    /// <summary>HEADER.FIELDS (names).</summary>
    HeaderFields,
    /// <summary>HEADER.FIELDS.NOT (names).</summary>
    HeaderFieldsNot,
    /// <summary>TEXT.</summary>
    Text,
    /// <summary>MIME: the MIME header of a part.</summary>
    Mime,
}
