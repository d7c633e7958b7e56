namespace Mail.Frontends.Imap.Protocol;

/// <summary>The FETCH data items (RFC 9051 §6.4.5, RFC 7162 §3.1.4.1).</summary>
public enum FetchItemKind
{
    /// <summary>FLAGS.</summary>
    Flags,
    /// <summary>INTERNALDATE.</summary>
    InternalDate,
    /// <summary>RFC822.SIZE.</summary>
    Rfc822Size,
    /// <summary>UID.</summary>
    Uid,
    /// <summary>ENVELOPE.</summary>
    Envelope,
    /// <summary>BODYSTRUCTURE.</summary>
    BodyStructure,
    /// <summary>BODY without a section: the non-extensible body structure.</summary>
    Body,
    /// <summary>BODY[section] or BODY.PEEK[section].</summary>
    BodySection,
    /// <summary>BINARY[section] or BINARY.PEEK[section] (RFC 3516).</summary>
    Binary,
    /// <summary>BINARY.SIZE[section].</summary>
    BinarySize,
    /// <summary>MODSEQ (CONDSTORE).</summary>
    Modseq,
    /// <summary>RFC822: BODY[] with \Seen (IMAP4rev1 only).</summary>
    Rfc822,
    /// <summary>RFC822.HEADER: BODY.PEEK[HEADER].</summary>
    Rfc822Header,
    /// <summary>RFC822.TEXT: BODY[TEXT].</summary>
    Rfc822Text,

    /// <summary>PREVIEW (RFC 8970 §3): the stored plain-text preview of the message.</summary>
    Preview,

    /// <summary>PREVIEW (FUZZY), the draft form of PREVIEW (draft-ietf-extra-imap-fetch-preview-00): the same text.</summary>
    PreviewFuzzy,

    /// <summary>SNIPPET (FUZZY), the draft's first name for PREVIEW (FUZZY).</summary>
    SnippetFuzzy,

    /// <summary>EMAILID (OBJECTID, RFC 8474 §5.1): the message's immutable id, kept by MOVE.</summary>
    EmailId,

    /// <summary>THREADID (OBJECTID, RFC 8474 §5.2): the id of the message's thread.</summary>
    ThreadId,

    /// <summary>SAVEDATE (RFC 8514 §4): when the message was placed in this folder.</summary>
    SaveDate,
}
