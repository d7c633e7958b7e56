using Mail.Events;
using Mail.Frontends.Http.Auth;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Mail.Frontends.Http.Push;

/// <summary>
/// /v1/hub: live changes of the caller's own mailbox (JWT or API key with read scope, as the API; JSON or MessagePack).
/// The server calls <c>mailboxChanged(event)</c> for every change, in MODSEQ order without a gap, and
/// <c>mailboxReload(modseq)</c> when the client must read the mailbox again; the client calls
/// <c>Resync(sinceModseq)</c> after a reconnect to get what it missed. Any frontend instance serves any user: the
/// connection's frontend subscribes to the account's event stream wherever the mailbox grain lives.
/// </summary>
[Authorize(Policy = ScopePolicies.Read)]
public sealed class MailboxHub(MailboxHubFeeds feeds, IGrainFactory grains, IOptions<PushOptions> options) : Hub
{
    /// <summary>Client method that receives a <see cref="MailboxEventView"/>.</summary>
    public const string ChangedMethod = "mailboxChanged";

    /// <summary>Client method that receives the MODSEQ to reload from.</summary>
    public const string ReloadMethod = "mailboxReload";

    /// <inheritdoc />
    public override async Task OnConnectedAsync()
    {
        if (!feeds.TryAdmit(options.Value.MaxConnections))
        {
            Context.Abort();
            return;
        }
        var user = MailUser.From(Context.User!);
        try
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, MailboxHubFeeds.GroupOf(user.AccountId));
            await feeds.JoinAsync(user.AccountId);
        }
        catch
        {
            // SignalR does not call OnDisconnectedAsync for a connection whose OnConnectedAsync failed.
            feeds.Release();
            throw;
        }
        Context.Items[nameof(MailUser)] = user;
        await base.OnConnectedAsync();
    }

    /// <inheritdoc />
    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(nameof(MailUser), out var item) && item is MailUser user)
        {
            feeds.Release();
            await feeds.LeaveAsync(user.AccountId);
        }
        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>The caller's changes after <paramref name="sinceModseq"/>, or "reload" past the change log's horizon.</summary>
    public async Task<ResyncResult> Resync(long sinceModseq)
    {
        if (sinceModseq < 0) throw new HubException("sinceModseq must be >= 0.");
        var user = (MailUser)Context.Items[nameof(MailUser)]!;
        var mailbox = grains.GetGrain<IMailboxGrain>(user.AccountId);
        // Read before the changes: every MODSEQ up to it is committed, so the answer reaches at least this far.
        var highest = await mailbox.GetHighestModseqAsync();
        var limit = Math.Max(1, options.Value.MaxResyncChanges);
        IReadOnlyList<MailboxChange> changes;
        try
        {
            changes = await mailbox.GetChangesAsync(sinceModseq, limit + 1);
        }
        catch (MailException e) when (e.Code == MailErrorCode.HistoryPruned)
        {
            return new ResyncResult(Reload: true, highest, More: false, []);
        }
        var more = changes.Count > limit;
        var page = changes.Take(limit).ToList();
        var folders = (await mailbox.ListFoldersAsync()).ToDictionary(f => f.FolderId, f => f.Name);
        var events = MailboxLogEvents.From(user.AccountId, sinceModseq, page, folders).Select(MailboxEventView.Of).ToArray();
        var position = more ? page[^1].Modseq : Math.Max(highest, page.Count == 0 ? sinceModseq : page[^1].Modseq);
        return new ResyncResult(Reload: false, position, more, events);
    }
}
