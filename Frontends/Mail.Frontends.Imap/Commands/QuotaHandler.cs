using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;

namespace Mail.Frontends.Imap.Commands;

/// <summary>GETQUOTA and GETQUOTAROOT (RFC 9208 §4.2, §4.3): one quota root "" over the whole mailbox, resource STORAGE in units of 1024 octets.</summary>
public sealed class QuotaHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["GETQUOTA", "GETQUOTAROOT"];

    /// <inheritdoc />
    public ImapState States => ImapState.LoggedIn;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var argument = ((MailboxCommand)command).Mailbox;
        if (command.Name == "GETQUOTA")
        {
            if (argument.Length != 0) return ImapResult.No($"No quota root {argument}", "NONEXISTENT");
        }
        else
        {
            var name = session.DecodeMailbox(argument);
            var folders = await session.Mailbox.ListFoldersAsync();
            var folder = folders.FirstOrDefault(f => StatusHandler.SameName(f.Name, name));
            if (folder is null) return ImapResult.No($"Mailbox {name} does not exist", "NONEXISTENT");
            var w = session.Writer().Raw("* QUOTAROOT").Item();
            w.AString(session.EncodeMailbox(folder.Name)).Raw(" \"\"").Crlf();
        }
        var quota = await session.Mailbox.GetQuotaAsync();
        session.Untagged($"QUOTA \"\" (STORAGE {(quota.UsedBytes + 1023) / 1024} {quota.LimitBytes / 1024})");
        return ImapResult.Ok(command.Name + " completed");
    }
}
