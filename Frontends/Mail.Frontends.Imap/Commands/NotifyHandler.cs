using Mail.Events;
using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// NOTIFY (RFC 5465 §3): NOTIFY SET replaces the events the session is told of without asking, NOTIFY NONE turns them
/// off. A request the server cannot honour leaves the previous one in force: events it does not support (annotations and
/// metadata: no ANNOTATE or METADATA here) get NO [BADEVENT], too many mailbox names NO [NOTIFICATIONOVERFLOW], and
/// the rules of §5 for the selected mailbox (MessageNew with MessageExpunge, FlagChange only with both) BAD.
/// </summary>
public sealed class NotifyHandler(IClusterClient cluster, IOptions<MailboxChangeFeedOptions> feedOptions, ILogger<NotifyHandler> logger) : IImapCommandHandler
{
    private const NotifyEvents Unsupported = NotifyEvents.AnnotationChange | NotifyEvents.MailboxMetadataChange | NotifyEvents.ServerMetadataChange;

    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["NOTIFY"];

    /// <inheritdoc />
    public ImapState States => ImapState.LoggedIn;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var notify = (NotifyCommand)command;
        if (notify.None)
        {
            await session.StopNotifyAsync();
            return ImapResult.Ok("NOTIFY completed");
        }
        if (Check(notify, session.Options.NotifyMaxMailboxNames) is { } refusal) return refusal;
        var groups = notify.Groups.Select(g => g with
        {
            Mailboxes = g.Mailboxes.Select(session.DecodeMailbox).ToList(),
            // RFC 5465 §5.2: reporting a new message must not change it; a body section is fetched as with PEEK.
            FetchItems = g.FetchItems.Select(i => i with { Peek = true }).ToList(),
        }).ToList();
        await session.StopNotifyAsync();
        var started = await NotifySession.StartAsync(session, groups, cluster, feedOptions.Value, logger);
        session.Notify = started;
        if (notify.Status) await started.WriteInitialStatusAsync();
        return ImapResult.Ok("NOTIFY completed");
    }

    /// <summary>The refusal of a NOTIFY SET, or null when it can be honoured.</summary>
    private static ImapResult? Check(NotifyCommand notify, int maxNames)
    {
        var selected = notify.Groups.Where(g => g.Filter is NotifyFilter.Selected or NotifyFilter.SelectedDelayed).ToList();
        if (selected.Count > 1) return ImapResult.Bad("SELECTED or SELECTED-DELAYED may be given once");
        if (selected.FirstOrDefault() is { } group)
        {
            const NotifyEvents newOrExpunge = NotifyEvents.MessageNew | NotifyEvents.MessageExpunge;
            var events = group.Events & newOrExpunge;
            if (events != NotifyEvents.None && events != newOrExpunge) return ImapResult.Bad("MessageNew and MessageExpunge go together (RFC 5465 section 5)");
            if ((group.Events & (NotifyEvents.FlagChange | NotifyEvents.AnnotationChange)) != 0 && events != newOrExpunge)
            {
                return ImapResult.Bad("FlagChange needs MessageNew and MessageExpunge (RFC 5465 section 5)");
            }
            if (group.FetchItems.Any(i => i.Kind is FetchItemKind.Rfc822 or FetchItemKind.Rfc822Text))
            {
                return ImapResult.Bad("RFC822 and RFC822.TEXT would set \\Seen; ask for BODY.PEEK[] instead");
            }
        }
        if (notify.Groups.Any(g => g.Filter is not (NotifyFilter.Selected or NotifyFilter.SelectedDelayed) && g.FetchItems.Count > 0))
        {
            // RFC 5465 §5.2: other mailboxes' new messages are told by STATUS, which carries no message attributes.
            return ImapResult.Bad("MessageNew takes FETCH attributes only for SELECTED and SELECTED-DELAYED");
        }
        var unsupported = notify.Groups.SelectMany(g => g.UnknownEvents
                .Concat(Enum.GetValues<NotifyEvents>().Where(e => e != NotifyEvents.None && (Unsupported & e) != 0 && g.Events.HasFlag(e)).Select(e => e.ToString())))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (unsupported.Count > 0) return ImapResult.No("Unsupported NOTIFY events", "BADEVENT (" + string.Join(' ', unsupported) + ")");
        var names = notify.Groups.Sum(g => g.Mailboxes.Count);
        if (names > maxNames) return ImapResult.No($"Too many mailbox names (at most {maxNames})", "NOTIFICATIONOVERFLOW");
        return null;
    }
}
