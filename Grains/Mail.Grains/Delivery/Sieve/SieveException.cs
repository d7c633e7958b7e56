namespace Mail.Grains.Delivery.Sieve;

/// <summary>A script error found at upload (RFC 5228 §2.10.6: syntax and validation errors are reported before use), with where it is.</summary>
public sealed class SieveException(string message, int line, int column) : Exception($"line {line}, column {column}: {message}")
{
    /// <summary>1-based line of the error.</summary>
    public int Line { get; } = line;

    /// <summary>1-based column of the error.</summary>
    public int Column { get; } = column;

    /// <summary>The error without its position.</summary>
    public string Reason { get; } = message;
}
