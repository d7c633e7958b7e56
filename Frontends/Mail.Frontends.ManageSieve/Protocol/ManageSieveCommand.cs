namespace Mail.Frontends.ManageSieve.Protocol;

/// <summary>
/// One command (RFC 5804 §4): its keyword upper-cased, its arguments (atoms, quoted strings and literals, decoded), the
/// first token as sent (a SASL answer is a lone string), or why it could not be read.
/// </summary>
public readonly record struct ManageSieveCommand(string Keyword, IReadOnlyList<string> Arguments, string? Error = null, string Word = "");
