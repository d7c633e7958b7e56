namespace Mail.Frontends.Imap.Protocol;

/// <summary>A THREAD algorithm (RFC 5256 §3).</summary>
public enum ThreadAlgorithm
{
    /// <summary>Groups by base subject, ordered by sent date.</summary>
    OrderedSubject,

    /// <summary>Threads by Message-ID, References and In-Reply-To.</summary>
    References,

    /// <summary>
    /// REFS (draft-ietf-morg-inthread, as Dovecot implements it): REFERENCES without subject merging, dated by the internal
    /// date, threads ordered by their newest message.
    /// </summary>
    Refs,
}

/// <summary>THREAD algorithm charset search-keys (RFC 5256 §3).</summary>
public sealed record ThreadCommand(string Tag, ThreadAlgorithm Algorithm, string Charset, SearchKey Search) : ImapCommand(Tag, "THREAD");
