using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// COPY and MOVE between the mailboxes of two accounts of one tenant (a shared folder, RFC 4314, on either side): each
/// message is filed into the destination grain with the same content blob (one tenant, one stored copy), its summary,
/// internal date and the flags the session may set there. A refusal part-way expunges what was filed (all or none, RFC 9051
/// §6.4.7); MOVE then expunges the sources.
/// </summary>
public static class SharedCopy
{
    /// <summary>Files the messages at <paramref name="indexes"/> of the selected folder into <paramref name="folder"/> of the destination.</summary>
    public static async Task<IReadOnlyList<PlacedMessage>> PlaceAsync(SelectedFolder source, MailboxTarget destination, string folder,
        IReadOnlyList<int> indexes, bool move)
    {
        var messageIds = indexes.Select(source.MessageIdAt).ToArray();
        var uidOf = indexes.ToDictionary(source.MessageIdAt, source.UidAt);
        var placed = new List<PlacedMessage>(messageIds.Length);
        try
        {
            foreach (var chunk in messageIds.Chunk(IMailboxGrain.MaxContentBatch))
            {
                var records = (await source.Grain.GetMessagesAsync(chunk)).ToDictionary(r => r.MessageId);
                foreach (var id in chunk)
                {
                    if (!records.TryGetValue(id, out var record)) continue; // expunged meanwhile
                    var delivery = new MessageDelivery("imap-copy/" + Guid.NewGuid().ToString("N"), folder, record.Blob, record.Summary,
                        FlagRights.Permitted(destination, record.Flags), [], record.InternalDate);
                    var result = await destination.Grain.DeliverAsync(delivery);
                    var filed = await destination.Grain.GetMessageAsync(result.MessageId);
                    placed.Add(new PlacedMessage(id, result.MessageId, filed?.Uid ?? 0));
                }
            }
        }
        catch (MailException)
        {
            foreach (var done in placed) await destination.Grain.ExpungeMessageAsync(done.MessageId);
            throw;
        }
        if (move)
        {
            var uids = placed.Select(p => uidOf[p.SourceMessageId]).ToList();
            foreach (var chunk in uids.Chunk(IMailboxGrain.MaxSlotBatch)) await source.Grain.ExpungeUidsAsync(source.FolderId, chunk);
        }
        return placed;
    }
}
