namespace Mail.Frontends.Imap.Protocol;

/// <summary>SEARCH [RETURN (...)] [CHARSET c] keys (RFC 9051 §6.4.4); <see cref="Extended"/> when RETURN was given.</summary>
public sealed record SearchCommand(string Tag, SearchKey Criteria, string? Charset, SearchReturn Return, bool Extended) : ImapCommand(Tag, "SEARCH")
{
    /// <summary>The positions RETURN (PARTIAL low:high) asks for (RFC 5267 §4.4), low not above high.</summary>
    public (long Low, long High) Partial { get; init; }
}
