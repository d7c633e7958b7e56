namespace Mail.Fuzz;

/// <summary>A property the code under test promises was broken by an input (reported to afl-fuzz as a crash).</summary>
public sealed class FuzzInvariantException(string message) : Exception(message)
{
    /// <summary>Throws unless <paramref name="condition"/> holds.</summary>
    public static void Check(bool condition, string message)
    {
        if (!condition) throw new FuzzInvariantException(message);
    }
}
