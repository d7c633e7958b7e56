namespace Mail.Grains.Delivery.Sieve;

/// <summary>One lexical token of a Sieve script (RFC 5228 §8.1) and where it starts.</summary>
public readonly record struct SieveToken(SieveTokenKind Kind, string Text, long Number, int Line, int Column);

/// <summary>The kinds of <see cref="SieveToken"/>.</summary>
public enum SieveTokenKind
{
    /// <summary>An identifier: a command or test name.</summary>
    Identifier,
    /// <summary>A tag (":is"), text without the colon.</summary>
    Tag,
    /// <summary>A number, quantifier applied.</summary>
    Number,
    /// <summary>A quoted or multi-line string, decoded.</summary>
    String,
    /// <summary>One of ; , ( ) [ ] { }.</summary>
    Punctuation,
    /// <summary>End of the script.</summary>
    End,
}
