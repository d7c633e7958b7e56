namespace Mail.Security.Results;

/// <summary>One resinfo of an Authentication-Results field (RFC 8601 §2.2): method, result and properties (ptype.property → value).</summary>
public sealed record AuthResult(string Method, string Result, IReadOnlyDictionary<string, string> Properties);
