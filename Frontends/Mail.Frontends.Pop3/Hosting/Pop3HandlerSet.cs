using System.Diagnostics.CodeAnalysis;
using Mail.Frontends.Pop3.Session;

namespace Mail.Frontends.Pop3.Hosting;

/// <summary>The command handlers by keyword.</summary>
public sealed class Pop3HandlerSet(IEnumerable<IPop3CommandHandler> handlers)
{
    private readonly Dictionary<string, IPop3CommandHandler> _byKeyword = handlers.ToDictionary(h => h.Keyword, StringComparer.Ordinal);

    /// <summary>The handler of a keyword (upper case).</summary>
    public bool TryGet(string keyword, [NotNullWhen(true)] out IPop3CommandHandler? handler) => _byKeyword.TryGetValue(keyword, out handler);
}
