namespace Mail.Frontends.Imap.Protocol;

/// <summary>The search keys of RFC 9051 §6.4.4 (with MODSEQ from RFC 7162 §3.1.5).</summary>
public enum SearchKeyKind
{
    /// <summary>All of <see cref="SearchKey.Children"/> (a parenthesized list, or the top level).</summary>
    And,
    /// <summary>OR key key.</summary>
    Or,
    /// <summary>NOT key.</summary>
    Not,
    /// <summary>ALL.</summary>
    All,
    /// <summary>A message sequence set.</summary>
    SequenceSet,
    /// <summary>UID set.</summary>
    Uid,
    /// <summary>A flag that must be set (ANSWERED, DELETED, DRAFT, FLAGGED, SEEN, KEYWORD).</summary>
    Flag,
    /// <summary>A flag that must not be set (UNANSWERED, ... UNKEYWORD).</summary>
    NoFlag,
    /// <summary>RECENT: \Recent in this session (RFC 3501 §2.3.2); NEW and OLD are built from it. Never true in IMAP4rev2.</summary>
    Recent,
    /// <summary>LARGER n.</summary>
    Larger,
    /// <summary>SMALLER n.</summary>
    Smaller,
    /// <summary>BEFORE date (internal date).</summary>
    Before,
    /// <summary>ON date.</summary>
    On,
    /// <summary>SINCE date.</summary>
    Since,
    /// <summary>SENTBEFORE date (Date header).</summary>
    SentBefore,
    /// <summary>SENTON date.</summary>
    SentOn,
    /// <summary>SENTSINCE date.</summary>
    SentSince,
    /// <summary>HEADER field string (SUBJECT maps to it): a substring of the decoded field.</summary>
    Header,
    /// <summary>FROM, TO, CC, BCC string: a substring of the field or of one of its addresses as parsed (RFC 5322 §3.4).</summary>
    Address,
    /// <summary>BODY string.</summary>
    Body,
    /// <summary>TEXT string: header and body.</summary>
    Text,
    /// <summary>MODSEQ n.</summary>
    Modseq,

    /// <summary>OLDER n (WITHIN, RFC 5032 §3): the internal date is more than n seconds before now.</summary>
    Older,

    /// <summary>YOUNGER n (WITHIN, RFC 5032 §3): the internal date is at most n seconds before now.</summary>
    Younger,

    /// <summary>SAVEDBEFORE date (RFC 8514 §5): the save date is before the date.</summary>
    SavedBefore,

    /// <summary>SAVEDON date (RFC 8514 §5).</summary>
    SavedOn,

    /// <summary>SAVEDSINCE date (RFC 8514 §5).</summary>
    SavedSince,

    /// <summary>EMAILID objectid (OBJECTID, RFC 8474 §6): the message with that EMAILID (in <see cref="SearchKey.Text"/>).</summary>
    EmailId,

    /// <summary>THREADID objectid (OBJECTID, RFC 8474 §6): the messages of that thread.</summary>
    ThreadId,
}
