namespace Mail.Frontends.Imap.Session;

/// <summary>The tagged completion of a command (RFC 9051 §7.1): OK, NO or BAD, an optional response code and text.</summary>
public sealed record ImapResult(string Status, string Text, string? Code = null)
{
    /// <summary>OK with text.</summary>
    public static ImapResult Ok(string text, string? code = null) => new("OK", text, code);

    /// <summary>NO with text.</summary>
    public static ImapResult No(string text, string? code = null) => new("NO", text, code);

    /// <summary>BAD with text.</summary>
    public static ImapResult Bad(string text, string? code = null) => new("BAD", text, code);
}
