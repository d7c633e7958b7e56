using Mail.Frontends.Pop3.Protocol;

namespace Mail.Frontends.Pop3.Session;

/// <summary>The responses used by more than one handler or by the read loop.</summary>
public static class Pop3Responses
{
    /// <summary>The greeting (RFC 1939 §4); no APOP timestamp, since APOP is not offered.</summary>
    public static readonly Pop3Response Greeting = Pop3Response.Success("Mail POP3 server ready");

    /// <summary>Login without TLS when it is not allowed (RFC 2595 §4; the wording and [AUTH] code are Dovecot's).</summary>
    public static readonly Pop3Response TlsRequired =
        Pop3Response.Error("Plaintext authentication disallowed on non-secure connections, use STLS", Pop3ResponseCodes.Auth);

    /// <summary>An over-long command line.</summary>
    public static readonly Pop3Response LineTooLong = Pop3Response.Error("line too long");

    /// <summary>A keyword no handler knows.</summary>
    public static readonly Pop3Response UnknownCommand = Pop3Response.Error("unknown command");

    /// <summary>A server-side failure before any part of the response was sent.</summary>
    public static readonly Pop3Response TryAgain = Pop3Response.Error("temporary failure, try again later", Pop3ResponseCodes.SysTemp);

    /// <summary>The session made too many errors and is closed.</summary>
    public static readonly Pop3Response TooManyErrors = Pop3Response.Error("too many errors, closing connection");

    /// <summary>Wrong arguments; <paramref name="usage"/> shows the right form.</summary>
    public static Pop3Response Syntax(string usage) => Pop3Response.Error($"Syntax: {usage}");

    /// <summary>A command outside the states it is valid in (RFC 1939 §3).</summary>
    public static Pop3Response WrongState(string keyword, Pop3State state) =>
        Pop3Response.Error($"{keyword} is not valid in the {state.ToString().ToUpperInvariant()} state");

    /// <summary>The maildrop size line shared by PASS, AUTH and RSET (RFC 1939 §7 examples).</summary>
    public static Pop3Response MaildropSize(Pop3Maildrop maildrop) =>
        Pop3Response.Success($"maildrop has {Messages(maildrop.LiveCount)} ({maildrop.LiveSize} octets)");

    /// <summary>
    /// Writes the lines of a multi-line response after its status line, and the "." line, flushing every
    /// <see cref="LinesPerFlush"/> lines so a listing of a million messages is never held whole.
    /// </summary>
    public static async Task WriteLinesAsync(Pop3Session session, IAsyncEnumerable<string> lines, CancellationToken ct)
    {
        var output = session.Transport.Output;
        var written = 0;
        await foreach (var line in lines.WithCancellation(ct))
        {
            Pop3Response.WriteLine(output, line);
            if (++written % LinesPerFlush == 0) await session.FlushAsync(ct);
        }
        Pop3Response.WriteEnd(output);
    }

    /// <summary>Lines of a listing written between flushes.</summary>
    public const int LinesPerFlush = 4096;

    /// <summary>"1 message" or "n messages", for response texts.</summary>
    public static string Messages(int count) => count == 1 ? "1 message" : $"{count} messages";
}
