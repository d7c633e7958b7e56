using System.Net;

namespace Mail.Security.Spf;

/// <summary>The arguments of check_host() (RFC 7208 §4.1) plus the HELO name the %{h} macro expands to.</summary>
public sealed record SpfRequest(IPAddress Client, string Sender, string Helo);
