using System.Diagnostics.CodeAnalysis;
using Mail.Frontends.Smtp.Session;

namespace Mail.Frontends.Smtp.Hosting;

/// <summary>The command handlers by verb.</summary>
public sealed class SmtpHandlerSet(IEnumerable<ISmtpCommandHandler> handlers)
{
    private readonly Dictionary<string, ISmtpCommandHandler> _byVerb = handlers.ToDictionary(h => h.Verb, StringComparer.Ordinal);

    /// <summary>The handler of a verb (upper case).</summary>
    public bool TryGet(string verb, [NotNullWhen(true)] out ISmtpCommandHandler? handler) => _byVerb.TryGetValue(verb, out handler);
}
