namespace Mail.Frontends.Imap.Protocol;

/// <summary>The bounds a command must stay within, so a client cannot make the server allocate without limit.</summary>
/// <param name="MaxLineLength">Longest line between literals, CRLF included.</param>
/// <param name="MaxLiteralBytes">Largest single literal accepted.</param>
/// <param name="MaxCommandBytes">Most bytes of one command, lines and literals together.</param>
/// <param name="MaxNesting">Deepest nesting of lists and search keys.</param>
public sealed record ImapLimits(int MaxLineLength, long MaxLiteralBytes, long MaxCommandBytes, int MaxNesting)
{
    /// <summary>
    /// Bounds before authentication: LOGIN and AUTHENTICATE need a few short strings, and the longest legal command
    /// is an ID (RFC 2971 §3.3: 30 fields of up to 30 octets with values of up to 1024) at about 32 KB, so an
    /// anonymous client gets <paramref name="maxLineLength"/> (at least that much) and small literals, nothing more.
    /// </summary>
    public static ImapLimits Unauthenticated(int maxLineLength) => new(maxLineLength, 1024, maxLineLength + 8192, 4);

    /// <summary>Bounds after authentication: one message literal plus some command text.</summary>
    public static ImapLimits Authenticated(int maxLineLength, long maxLiteralBytes, int maxNesting) =>
        new(maxLineLength, maxLiteralBytes, maxLiteralBytes + 64 * 1024, maxNesting);
}
