using System.Globalization;

namespace Mail.Frontends.Smtp.Session;

/// <summary>The trace fields put above a received message: Return-Path and Received (RFC 5321 §4.4, RFC 3848 protocol names).</summary>
public static class TraceHeaders
{
    /// <summary>The header lines, CRLF-terminated.</summary>
    public static string For(SmtpSession session, SmtpEnvelope envelope, DateTimeOffset now)
    {
        var protocol = (session.Extended ? "ESMTP" : "SMTP") + (session.Transport.IsTls ? "S" : "") + (session.Account is not null ? "A" : "");
        var tls = session.Transport.TlsDescription is { } description ? $"\r\n\t(using {description})" : "";
        var recipient = envelope.Recipients.Count == 1 ? $"\r\n\tfor <{envelope.Recipients[0].Address}>" : "";
        var date = now.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture) + now.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", "");
        return $"Return-Path: <{envelope.From}>\r\n" +
               $"Received: from {session.ClientName} ([{session.RemoteAddress}])\r\n" +
               $"\tby {session.Options.HostName} (Mail) with {protocol} id {session.Id}{tls}{recipient};\r\n" +
               $"\t{date}\r\n";
    }
}
