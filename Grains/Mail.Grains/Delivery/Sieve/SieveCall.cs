namespace Mail.Grains.Delivery.Sieve;

/// <summary>A validated command or test: tagged arguments by name (with their value, if any), positional arguments, tests and block.</summary>
public sealed record SieveCall(string Name, IReadOnlyDictionary<string, SieveArgument?> Tags, IReadOnlyList<SieveArgument> Positional,
    IReadOnlyList<SieveCall> Tests, IReadOnlyList<SieveCall>? Block, int Line, int Column)
{
    /// <summary>Whether the tag is present.</summary>
    public bool Has(string tag) => Tags.ContainsKey(tag);

    /// <summary>The strings of positional argument <paramref name="index"/>.</summary>
    public IReadOnlyList<string> Strings(int index) => Positional[index].Strings!;

    /// <summary>The single string of positional argument <paramref name="index"/>.</summary>
    public string String(int index) => Positional[index].Strings![0];

    /// <summary>The strings of a tag's value, or null when the tag is absent.</summary>
    public IReadOnlyList<string>? TagStrings(string tag) => Tags.GetValueOrDefault(tag)?.Strings;

    /// <summary>The first tag present among <paramref name="tags"/>, or <paramref name="fallback"/>.</summary>
    public string OneOf(string fallback, params string[] tags) => tags.FirstOrDefault(Has) ?? fallback;
}
