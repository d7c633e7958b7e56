namespace Mail.Frontends.Imap.Session;

/// <summary>
/// The messages a session keeps between the items and commands that read them again (BODYSTRUCTURE, then a part),
/// least recently used first out, bounded by their octets (<see cref="ImapOptions.MessageCacheBytes"/>), not by their
/// number: four 25 MB messages would otherwise stay in every session that fetched them. A message larger than the
/// whole budget is served and not kept.
/// </summary>
public sealed class MessageCache(long maxBytes)
{
    private readonly Dictionary<long, LinkedListNode<(long Id, LoadedMessage Message)>> _entries = new();
    private readonly LinkedList<(long Id, LoadedMessage Message)> _order = new();

    /// <summary>Octets held now.</summary>
    public long Bytes { get; private set; }

    /// <summary>The message with id <paramref name="messageId"/>, if kept (it becomes the most recently used).</summary>
    public bool TryGet(long messageId, out LoadedMessage message)
    {
        if (_entries.TryGetValue(messageId, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            message = node.Value.Message;
            return true;
        }
        message = null!;
        return false;
    }

    /// <summary>Keeps <paramref name="message"/> (replacing what was kept for the id), dropping the least recently used beyond the budget.</summary>
    public void Put(long messageId, LoadedMessage message)
    {
        Remove(messageId);
        if (message.Bytes.Length > maxBytes) return;
        _entries[messageId] = _order.AddFirst((messageId, message));
        Bytes += message.Bytes.Length;
        while (Bytes > maxBytes && _order.Last is { } oldest) Remove(oldest.Value.Id);
    }

    /// <summary>Forgets everything (another mailbox was selected).</summary>
    public void Clear()
    {
        _entries.Clear();
        _order.Clear();
        Bytes = 0;
    }

    private void Remove(long messageId)
    {
        if (!_entries.Remove(messageId, out var node)) return;
        _order.Remove(node);
        Bytes -= node.Value.Message.Bytes.Length;
    }
}
