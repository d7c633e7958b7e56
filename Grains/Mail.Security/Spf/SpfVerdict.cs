namespace Mail.Security.Spf;

/// <summary>The result of one SPF check and the identity it was checked for (RFC 7208 §2.3 HELO, §2.4 MAIL FROM).</summary>
public sealed record SpfVerdict(SpfResult Result, string Domain, string Identity, string? Reason = null);
