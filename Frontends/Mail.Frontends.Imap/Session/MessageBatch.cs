namespace Mail.Frontends.Imap.Session;

/// <summary>
/// A page of the messages a command walks: their positions in the selected mailbox and what was loaded of each; a null
/// state is a message another session has removed that this session has not yet announced as expunged.
/// </summary>
public sealed record MessageBatch(int[] Indexes, MessageState?[] States);
