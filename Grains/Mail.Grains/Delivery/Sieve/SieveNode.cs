namespace Mail.Grains.Delivery.Sieve;

/// <summary>A command or test as parsed (RFC 5228 §8.2): its name, arguments, tests and, for a command with one, its block.</summary>
public sealed record SieveNode(string Name, IReadOnlyList<SieveArgument> Arguments, IReadOnlyList<SieveNode> Tests,
    IReadOnlyList<SieveNode>? Block, int Line, int Column);

/// <summary>An argument: a tag, a number or a string list (a single string is a list of one).</summary>
public sealed record SieveArgument(string? Tag, long? Number, IReadOnlyList<string>? Strings, bool Bracketed, int Line, int Column)
{
    /// <summary>What the argument is, for error messages.</summary>
    public string Describe() => Tag is not null ? $":{Tag}" : Number is not null ? "a number" : Bracketed ? "a string list" : "a string";
}
