using System.Diagnostics.CodeAnalysis;
using Mail.Frontends.Imap.Session;

namespace Mail.Frontends.Imap.Hosting;

/// <summary>The command handlers by command name.</summary>
public sealed class ImapHandlerSet(IEnumerable<IImapCommandHandler> handlers)
{
    private readonly Dictionary<string, IImapCommandHandler> _byName = handlers
        .SelectMany(h => h.Names.Select(n => (Name: n, Handler: h)))
        .ToDictionary(p => p.Name, p => p.Handler, StringComparer.Ordinal);

    /// <summary>The handler of a command (upper case).</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out IImapCommandHandler? handler) => _byName.TryGetValue(name, out handler);
}
