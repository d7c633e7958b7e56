using Mail.Frontends.Pop3.Protocol;
using Microsoft.Extensions.Logging;

namespace Mail.Frontends.Pop3.Session;

/// <summary>
/// QUIT (RFC 1939 §4, §6): in AUTHORIZATION just "+OK" and close; in TRANSACTION enter UPDATE, remove the
/// messages marked deleted, release the lock, then "+OK", or "-ERR [SYS/TEMP]" if any removal failed.
/// The connection closes either way.
/// </summary>
public sealed class QuitHandler : IPop3CommandHandler
{
    /// <inheritdoc />
    public string Keyword => "QUIT";

    /// <inheritdoc />
    public Pop3State ValidIn => Pop3State.Authorization | Pop3State.Transaction;

    /// <inheritdoc />
    public async Task HandleAsync(Pop3Session session, Pop3Command command, CancellationToken ct)
    {
        if (command.Argument.Length > 0)
        {
            session.Reply(Pop3Responses.Syntax("QUIT takes no argument"));
            return;
        }
        session.Closing = true;
        if (session.Maildrop is not { } maildrop)
        {
            session.Reply(Pop3Response.Success("Mail POP3 server signing off"));
            return;
        }
        session.State = Pop3State.Update;
        var complete = await maildrop.ExpungeDeletedAsync(session.Logger, session.Id);
        session.Maildrop = null;
        try
        {
            await maildrop.ReleaseAsync();
        }
        catch (Exception e)
        {
            // The removals are done; an unreleased lock only lapses at the end of its lease.
            session.Logger.LogWarning(e, "Session {Session}: could not release the maildrop lock", session.Id);
        }
        var left = maildrop.LiveCount;
        session.Reply(!complete
            ? Pop3Response.Error("some deleted messages not removed", Pop3ResponseCodes.SysTemp)
            : Pop3Response.Success(left == 0 ? "Mail POP3 server signing off (maildrop empty)" : $"Mail POP3 server signing off ({Pop3Responses.Messages(left)} left)"));
    }
}
