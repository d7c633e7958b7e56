using System.Collections.Concurrent;

namespace Mail.Frontends.Hosting;

/// <summary>Which parts of the host are ready; /health answers 200 only when all expected parts are.</summary>
public sealed class ReadinessState
{
    /// <summary>The HTTP frontend is listening.</summary>
    public const string Http = "http";

    /// <summary>The cluster answers and start-up data (the demo tenant) is in place.</summary>
    public const string Seed = "seed";

    private readonly ConcurrentDictionary<string, bool> _parts = new([new(Http, false), new(Seed, false)]);

    /// <summary>Adds a part that must be ready (another frontend, say).</summary>
    public void Expect(string part) => _parts.TryAdd(part, false);

    /// <summary>Marks a part ready.</summary>
    public void MarkReady(string part) => _parts[part] = true;

    /// <summary>Whether every expected part is ready.</summary>
    public bool IsReady => _parts.Values.All(ready => ready);

    /// <summary>Each part and whether it is ready.</summary>
    public IReadOnlyDictionary<string, bool> Parts => new Dictionary<string, bool>(_parts);
}
