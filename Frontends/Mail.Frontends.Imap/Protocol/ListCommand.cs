namespace Mail.Frontends.Imap.Protocol;

/// <summary>
/// LIST (RFC 9051 §6.3.9 with LIST-EXTENDED, RFC 5258): selection options, reference, patterns and return
/// options (SUBSCRIBED, CHILDREN, SPECIAL-USE, STATUS from RFC 5819); LSUB (RFC 3501 §6.3.9) sets <see cref="Lsub"/>.
/// </summary>
public sealed record ListCommand(
    string Tag,
    string Reference,
    IReadOnlyList<string> Patterns,
    IReadOnlyList<string> SelectOptions,
    IReadOnlyList<string> ReturnOptions,
    IReadOnlyList<string> StatusItems,
    bool Lsub) : ImapCommand(Tag, Lsub ? "LSUB" : "LIST");
