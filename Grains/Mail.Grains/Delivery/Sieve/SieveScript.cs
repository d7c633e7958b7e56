namespace Mail.Grains.Delivery.Sieve;

/// <summary>A compiled Sieve script: its validated commands and the extensions it requires.</summary>
public sealed record SieveScript(IReadOnlyList<SieveCall> Commands, IReadOnlySet<string> Extensions);
