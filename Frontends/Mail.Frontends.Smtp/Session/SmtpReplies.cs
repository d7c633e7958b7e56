using Mail.Frontends.Smtp.Protocol;

namespace Mail.Frontends.Smtp.Session;

/// <summary>The replies used by more than one handler (RFC 5321 §4.2.2, codes per RFC 3463).</summary>
public static class SmtpReplies
{
    /// <summary>250 2.0.0 Ok.</summary>
    public static readonly SmtpReply Ok = new(250, "2.0.0", "Ok");

    /// <summary>503 5.5.1 for a command out of sequence.</summary>
    public static SmtpReply BadSequence(string why) => new(503, "5.5.1", $"Error: {why}");

    /// <summary>501 5.5.4 for bad arguments.</summary>
    public static SmtpReply Syntax(string why) => new(501, "5.5.4", why);

    /// <summary>501 5.5.2 for a control character (CR, LF, NUL, other C0, DEL) in a name or path (RFC 5321 §4.1.1.1, §4.1.2).</summary>
    public static readonly SmtpReply ControlCharacter = new(501, "5.5.2", PathArgument.ControlCharacterError);

    /// <summary>The reply to a path that did not parse: <see cref="ControlCharacter"/> or 501 5.5.4 with the parser's reason.</summary>
    public static SmtpReply BadPath(string error) => error == PathArgument.ControlCharacterError ? ControlCharacter : Syntax(error);

    /// <summary>521 5.5.2 for a bare CR or LF in DATA or BDAT content; the session then closes (SMTP smuggling).</summary>
    public static SmtpReply BareLineEnd(string host, DataStatus status) =>
        new(521, "5.5.2", $"{host} Error: bare {(status == DataStatus.BareLf ? "<LF>" : "<CR>")} received");

    /// <summary>500 5.5.2 for an over-long line.</summary>
    public static readonly SmtpReply LineTooLong = new(500, "5.5.2", "Error: line too long");

    /// <summary>500 5.5.2 for an unknown command.</summary>
    public static readonly SmtpReply Unrecognized = new(500, "5.5.2", "Error: command not recognized");

    /// <summary>451 4.3.0: the message was not accepted; the client should try again later.</summary>
    public static readonly SmtpReply TryAgain = new(451, "4.3.0", "Error: temporary failure, please try again later");

    /// <summary>421 4.4.2 after a timeout.</summary>
    public static SmtpReply Timeout(string host) => new(421, "4.4.2", $"{host} Error: timeout exceeded");

    /// <summary>421 4.7.0 when a session has made too many errors or commands.</summary>
    public static SmtpReply TooMany(string host, string what) => new(421, "4.7.0", $"{host} Error: too many {what}");

    /// <summary>552 5.3.4 for a message over the size limit.</summary>
    public static readonly SmtpReply MessageTooBig = new(552, "5.3.4", "Error: message exceeds fixed maximum message size");

    /// <summary>530 5.7.0 when a submission port is used without AUTH.</summary>
    public static readonly SmtpReply AuthenticationRequired = new(530, "5.7.0", "Authentication required");
}
