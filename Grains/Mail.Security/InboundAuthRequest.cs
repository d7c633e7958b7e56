using System.Net;

namespace Mail.Security;

/// <summary>The SMTP facts sender authentication starts from: the client's address, its HELO/EHLO name and the reverse-path (empty for bounces).</summary>
public sealed record InboundAuthRequest(IPAddress Client, string Helo, string MailFrom);
