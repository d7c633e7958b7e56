using Mail.Frontends.Imap.Protocol;

namespace Mail.Frontends.Imap.Session;

/// <summary>Carries out one command; the session writes the tagged result after any unsolicited updates.</summary>
public interface IImapCommandHandler
{
    /// <summary>The command name(s) this handler serves, upper case.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>The states the command is valid in.</summary>
    ImapState States { get; }

    /// <summary>Runs the command and returns its tagged result.</summary>
    Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct);
}
