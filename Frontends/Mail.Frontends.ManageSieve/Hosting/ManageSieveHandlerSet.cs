using System.Diagnostics.CodeAnalysis;
using Mail.Frontends.ManageSieve.Session;

namespace Mail.Frontends.ManageSieve.Hosting;

/// <summary>The command handlers by keyword.</summary>
public sealed class ManageSieveHandlerSet(IEnumerable<IManageSieveHandler> handlers)
{
    private readonly Dictionary<string, IManageSieveHandler> _byKeyword = handlers.ToDictionary(h => h.Keyword, StringComparer.Ordinal);

    /// <summary>The handler of a keyword (upper case).</summary>
    public bool TryGet(string keyword, [NotNullWhen(true)] out IManageSieveHandler? handler) => _byKeyword.TryGetValue(keyword, out handler);
}
