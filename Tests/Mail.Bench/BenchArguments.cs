using System.Globalization;

namespace Mail.Bench;

/// <summary>The `--name value` options of a subcommand.</summary>
public sealed class BenchArguments
{
    private readonly Dictionary<string, string> _values;

    private BenchArguments(Dictionary<string, string> values) => _values = values;

    /// <summary>Reads pairs of `--name value`; anything else is an error.</summary>
    public static BenchArguments Parse(IEnumerable<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var name = e.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length == 2) throw new ArgumentException($"expected --option, got '{name}'");
            if (!e.MoveNext()) throw new ArgumentException($"{name} needs a value");
            values[name[2..]] = e.Current;
        }
        return new BenchArguments(values);
    }

    /// <summary>The value of an option that must be given.</summary>
    public string Required(string name) =>
        _values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");

    /// <summary>The value of an option, or a default.</summary>
    public string Text(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    /// <summary>A positive integer option, or a default.</summary>
    public int Int(string name, int fallback)
    {
        if (!_values.TryGetValue(name, out var text)) return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"--{name} must be a positive integer, got '{text}'");
    }
}
