using System.Diagnostics.CodeAnalysis;
using Mail.Fuzz.Targets;

namespace Mail.Fuzz;

/// <summary>One fuzzing entry point: it parses the input and throws when the code under test misbehaves.</summary>
public delegate void FuzzTarget(ReadOnlySpan<byte> input);

/// <summary>The fuzzing targets by name, in the order infra/fuzz.sh runs them.</summary>
public static class FuzzTargets
{
    private static readonly (string Name, FuzzTarget Target)[] All =
    [
        ("smtp", SmtpCommandTarget.Run),
        ("imap", ImapCommandTarget.Run),
        ("pop3", Pop3CommandTarget.Run),
        ("data", DataStreamTarget.Run),
        ("mime", MimeSummaryTarget.Run),
        ("headercache", HeaderCacheTarget.Run),
    ];

    /// <summary>Every target's name.</summary>
    public static IEnumerable<string> Names => All.Select(t => t.Name);

    /// <summary>The target called <paramref name="name"/>.</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out FuzzTarget? target)
    {
        target = All.FirstOrDefault(t => t.Name == name).Target;
        return target is not null;
    }
}
