using System.Globalization;
using Mail.Frontends.Smtp.Protocol;

namespace Mail.Frontends.Smtp.Session;

/// <summary>
/// The trace fields put above a received message: Return-Path and Received (RFC 5321 §4.4, RFC 3848 protocol names).
/// Client-supplied values are refused with controls at EHLO/MAIL/RCPT; they are also written through
/// <see cref="Printable"/>, so no path can ever fold or inject a field here.
/// </summary>
public static class TraceHeaders
{
    /// <summary>The header lines, CRLF-terminated.</summary>
    public static string For(SmtpSession session, SmtpEnvelope envelope, DateTimeOffset now)
    {
        var protocol = (session.Extended ? "ESMTP" : "SMTP") + (session.Transport.IsTls ? "S" : "") + (session.Account is not null ? "A" : "");
        var tls = session.Transport.TlsDescription is { } description ? $"\r\n\t(using {description})" : "";
        var recipient = envelope.Recipients.Count == 1 ? $"\r\n\tfor <{Printable(envelope.Recipients[0].Address)}>" : "";
        var date = now.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture) + now.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", "");
        return $"Return-Path: <{Printable(envelope.From)}>\r\n" +
               $"Received: from {Printable(session.ClientName ?? "")} ([{session.RemoteAddress}])\r\n" +
               $"\tby {session.Options.HostName} (Mail) with {protocol} id {session.Id}{tls}{recipient};\r\n" +
               $"\t{date}\r\n";
    }

    /// <summary><paramref name="text"/> with every control character (CR, LF, NUL, other C0, DEL, C1) replaced by '?'.</summary>
    public static string Printable(string text) =>
        ControlCharacters.AnyIn(text) ? string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = char.IsControl(source[i]) ? '?' : source[i];
        }) : text;
}
