using Mail.Frontends.Imap.Mime;
using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Mime;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// FETCH and UID FETCH (RFC 9051 §6.4.5, §6.4.9): flags, dates and sizes from the session's view; ENVELOPE,
/// BODYSTRUCTURE and body sections cut from the stored octets (only the header is read when that suffices);
/// BINARY (RFC 3516); MODSEQ and CHANGEDSINCE / VANISHED (RFC 7162 §3.1.4, §3.2.6). A body fetch without PEEK
/// sets \Seen and reports the new flags.
/// </summary>
public sealed class FetchHandler : IImapCommandHandler
{
    private const long FlushThreshold = 256 * 1024;

    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["FETCH"];

    /// <inheritdoc />
    public ImapState States => ImapState.Selected;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var fetch = (FetchCommand)command;
        var selected = session.Selected!;
        if (fetch.Vanished && (!fetch.Uid || !session.Qresync)) return ImapResult.Bad("VANISHED needs UID FETCH and QRESYNC");
        var (set, byUid) = session.Substitute(fetch.Set, fetch.Uid);
        var indexes = selected.Resolve(set, byUid);
        if (indexes is null) return ImapResult.Bad("Invalid message sequence number");
        var items = fetch.Items.ToList();
        if (fetch.Uid && !items.Any(i => i.Kind == FetchItemKind.Uid)) items.Insert(0, new FetchItem(FetchItemKind.Uid));
        if (items.Any(i => i.Kind == FetchItemKind.Modseq) || fetch.ChangedSince is not null) session.EnableCondstore();
        if (fetch.ChangedSince is not null && !items.Any(i => i.Kind == FetchItemKind.Modseq)) items.Add(new FetchItem(FetchItemKind.Modseq));

        if (fetch.Vanished && fetch.ChangedSince is { } since)
        {
            var expunged = await SelectHandler.ExpungedSinceAsync(session, selected.FolderId, since, long.MaxValue);
            var largest = Math.Max(selected.MaxUid, expunged.Count == 0 ? 0 : expunged.Max());
            var reported = expunged.Where(uid => fetch.Set.Contains(uid, largest) && selected.IndexOfUid(uid) < 0).Order().ToList();
            if (reported.Count > 0) session.Untagged("VANISHED (EARLIER) " + SequenceSet.Format(reported));
        }

        var need = items.Where(NeedsContent).Select(Need).DefaultIfEmpty((ContentNeed?)null).Max();
        var setsSeen = !selected.ReadOnly && items.Any(i =>
            i.Kind is FetchItemKind.Rfc822 or FetchItemKind.Rfc822Text || i.Kind is FetchItemKind.BodySection or FetchItemKind.Binary && !i.Peek);
        long written = 0;
        var seenNow = new HashSet<long>();
        for (var position = 0; position < indexes.Count; position++)
        {
            var index = indexes[position];
            var state = selected.Messages[index];
            if (need is not null) await session.PrefetchChunkAsync(indexes, position, i => selected.Messages[i]);
            if (setsSeen && position % ImapSession.PrefetchChunk == 0)
            {
                // \Seen for the chunk's unseen messages in one write, before their content goes out.
                var chunk = indexes.GetRange(position, Math.Min(ImapSession.PrefetchChunk, indexes.Count - position)).Select(i => selected.Messages[i])
                    .Where(m => (fetch.ChangedSince is not { } since || m.Modseq > since) && !m.Flags.Contains(MessageFlags.Seen)).ToList();
                if (chunk.Count > 0)
                {
                    var result = await session.Mailbox.StoreFlagsAsync(chunk.Select(m => m.MessageId).ToArray(), FlagStoreMode.Add, [MessageFlags.Seen], null);
                    var byId = result.Stored.ToDictionary(r => r.MessageId);
                    foreach (var message in chunk)
                    {
                        if (!byId.TryGetValue(message.MessageId, out var updated)) continue; // expunged meanwhile
                        message.Flags = updated.Flags;
                        message.Modseq = updated.Modseq;
                        seenNow.Add(message.MessageId);
                    }
                }
            }
            if (fetch.ChangedSince is { } changedSince && state.Modseq <= changedSince) continue;
            LoadedMessage? loaded = null;
            if (need is { } needed)
            {
                loaded = await session.LoadMessageAsync(state, needed, ct);
                if (loaded is null) continue;
            }
            var flagsChanged = seenNow.Contains(state.MessageId);
            if (flagsChanged || items.Any(i => i.Kind == FetchItemKind.Flags)) session.AnnounceKeywords(state.Flags);
            var w = session.Writer().Raw($"* {index + 1} FETCH ").Open();
            foreach (var item in items)
            {
                if (!WriteItem(session, w, item, state, loaded)) return ImapResult.No("Unknown content transfer encoding", "UNKNOWN-CTE");
            }
            if (flagsChanged && !items.Any(i => i.Kind == FetchItemKind.Flags)) WriteItem(session, w, new FetchItem(FetchItemKind.Flags), state, loaded);
            if (flagsChanged && session.Condstore && !items.Any(i => i.Kind == FetchItemKind.Modseq)) WriteItem(session, w, new FetchItem(FetchItemKind.Modseq), state, loaded);
            w.Close().Crlf();
            written += w.Written;
            if (written > FlushThreshold)
            {
                await session.FlushAsync(ct);
                written = 0;
            }
        }
        return ImapResult.Ok("FETCH completed");
    }

    private static bool NeedsContent(FetchItem item) => item.Kind is FetchItemKind.Envelope or FetchItemKind.BodyStructure or FetchItemKind.Body
        or FetchItemKind.BodySection or FetchItemKind.Binary or FetchItemKind.BinarySize or FetchItemKind.Rfc822
        or FetchItemKind.Rfc822Header or FetchItemKind.Rfc822Text;

    /// <summary>How much of the message an item needs: ENVELOPE and HEADER.FIELDS of listing fields come from the header cache.</summary>
    private static ContentNeed? Need(FetchItem item) => item switch
    {
        { Kind: FetchItemKind.Envelope } => ContentNeed.CachedFields,
        { Kind: FetchItemKind.BodySection, Section: { Part.Count: 0, Kind: SectionKind.HeaderFields } section } when HeaderCache.Covers(section.Fields)
            => ContentNeed.CachedFields,
        { Kind: FetchItemKind.Rfc822Header } => ContentNeed.Header,
        { Kind: FetchItemKind.BodySection, Section: { Part.Count: 0, Kind: SectionKind.Header or SectionKind.HeaderFields or SectionKind.HeaderFieldsNot } }
            => ContentNeed.Header,
        _ => ContentNeed.Message,
    };

    /// <summary>Writes one data item; false when a BINARY section has an unknown transfer encoding.</summary>
    private static bool WriteItem(ImapSession session, ImapWriter w, FetchItem item, MessageState state, LoadedMessage? loaded)
    {
        switch (item.Kind)
        {
            case FetchItemKind.Uid:
                w.Atom("UID").Number(state.Uid);
                break;
            case FetchItemKind.Flags:
                w.Atom("FLAGS").Open();
                foreach (var flag in session.FlagsOf(state)) w.Atom(flag);
                w.Close();
                break;
            case FetchItemKind.InternalDate:
                w.Atom("INTERNALDATE").Quoted(ImapDate.FormatDateTime(state.InternalDate));
                break;
            case FetchItemKind.Rfc822Size:
                w.Atom("RFC822.SIZE").Number(state.Size);
                break;
            case FetchItemKind.Modseq:
                w.Atom("MODSEQ").Open().Number(state.Modseq).Close();
                break;
            case FetchItemKind.Envelope:
                w.Atom("ENVELOPE");
                EnvelopeWriter.Write(w, loaded!.Bytes.Span, loaded.Root, session.Rev2);
                break;
            case FetchItemKind.BodyStructure or FetchItemKind.Body:
                w.Atom(item.Kind == FetchItemKind.Body ? "BODY" : "BODYSTRUCTURE");
                BodyStructureWriter.Write(w, loaded!.Bytes.Span, loaded.Root, item.Kind == FetchItemKind.BodyStructure, session.Rev2);
                break;
            case FetchItemKind.Rfc822:
                w.Atom("RFC822").Literal(loaded!.Bytes.Span);
                break;
            case FetchItemKind.Rfc822Header:
                w.Atom("RFC822.HEADER").Literal(loaded!.Bytes.Span[loaded.Root.HeaderStart..loaded.Root.BodyStart]);
                break;
            case FetchItemKind.Rfc822Text:
                w.Atom("RFC822.TEXT").Literal(loaded!.Bytes.Span[loaded.Root.BodyStart..loaded.Root.BodyEnd]);
                break;
            case FetchItemKind.BodySection:
            {
                var section = item.Section!;
                var name = "BODY[" + section.Spec + "]" + (section.PartialStart is { } start ? "<" + start + ">" : "");
                var data = SectionReader.Read(loaded!.Bytes, loaded.Root, section);
                w.Atom(name);
                if (data is { } bytes) w.Literal(SectionReader.Partial(bytes, section).Span);
                else w.Nil();
                break;
            }
            case FetchItemKind.Binary or FetchItemKind.BinarySize:
            {
                var section = item.Section!;
                ReadOnlyMemory<byte>? data;
                try
                {
                    data = SectionReader.ReadBinary(loaded!.Bytes, loaded.Root, section);
                }
                catch (InvalidDataException)
                {
                    return false;
                }
                var spec = string.Join('.', section.Part);
                if (item.Kind == FetchItemKind.BinarySize)
                {
                    w.Atom("BINARY.SIZE[" + spec + "]").Number(data?.Length ?? 0);
                    break;
                }
                w.Atom("BINARY[" + spec + "]" + (section.PartialStart is { } start ? "<" + start + ">" : ""));
                if (data is { } bytes) w.Literal8(SectionReader.Partial(bytes, section).Span);
                else w.Nil();
                break;
            }
        }
        return true;
    }
}
