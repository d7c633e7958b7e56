namespace Mail.Frontends.Imap.Protocol;

/// <summary>
/// REPLACE seq-number mailbox append-message and UID REPLACE uid mailbox append-message (RFC 8508 §6): the message of the
/// selected mailbox at <paramref name="Number"/> (a UID when <see cref="ImapCommand.Uid"/>) is replaced by <paramref name="Message"/>.
/// </summary>
public sealed record ReplaceCommand(string Tag, long Number, string Mailbox, AppendMessage Message) : ImapCommand(Tag, "REPLACE");
