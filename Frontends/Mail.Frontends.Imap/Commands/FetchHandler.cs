using Mail.Frontends.Imap.Mime;
using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Mime;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// FETCH and UID FETCH (RFC 9051 §6.4.5, §6.4.9), a page at a time: flags from the mailbox grain's memory, dates,
/// sizes and MODSEQs from one database read per page, UIDs from the session's map; ENVELOPE,
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
            try
            {
                var expunged = await SelectHandler.ExpungedSinceAsync(selected.Grain, selected.FolderId, since, long.MaxValue);
                var largest = Math.Max(selected.MaxUid, expunged.Count == 0 ? 0 : expunged.Max());
                var reported = expunged.Where(uid => fetch.Set.Contains(uid, largest) && selected.IndexOfUid(uid) < 0).Order().ToList();
                if (reported.Count > 0) session.Untagged("VANISHED (EARLIER) " + SequenceSet.Format(reported));
            }
            catch (MailException e) when (e.Code == MailErrorCode.HistoryPruned)
            {
                // RFC 7162 §3.2.6: without the log back to CHANGEDSINCE, every UID of the set that is not there is reported.
                var folder = (await session.SelectedMailbox.ListFoldersAsync()).FirstOrDefault(f => f.FolderId == selected.FolderId);
                var absent = VanishedWithoutHistory.Absent(Enumerable.Range(0, selected.Count).Select(i => selected.UidAt(i)), fetch.Set, 0,
                    (folder?.UidNext ?? selected.MaxUid + 1) - 1, selected.MaxUid);
                if (absent.Length > 0) session.Untagged("VANISHED (EARLIER) " + absent);
            }
        }

        var need = items.Where(NeedsContent).Select(Need).DefaultIfEmpty((ContentNeed?)null).Max();
        // RFC 4314 §4: only with "s" does reading a message set \Seen.
        var setsSeen = !selected.ReadOnly && selected.Target.Has('s') && items.Any(i =>
            i.Kind is FetchItemKind.Rfc822 or FetchItemKind.Rfc822Text || i.Kind is FetchItemKind.BodySection or FetchItemKind.Binary && !i.Peek);
        var detail = fetch.ChangedSince is not null || items.Any(i => i.Kind is FetchItemKind.Modseq or FetchItemKind.InternalDate or FetchItemKind.Rfc822Size
                or FetchItemKind.SaveDate or FetchItemKind.ThreadId)
            ? MessageDetail.Slot
            : setsSeen || items.Any(i => i.Kind == FetchItemKind.Flags) ? MessageDetail.Flags : MessageDetail.None;
        // Pages of the set, each read with one grain call while the previous one is written: the response streams.
        var pageSize = need is null ? IMailboxGrain.MaxSlotBatch : ImapSession.PrefetchChunk;
        long written = 0;
        var done = 0;
        await foreach (var page in session.PagesAsync(indexes, detail, pageSize))
        {
            if (need is not null) await session.PrefetchContentsAsync(page.States.OfType<MessageState>());
            var records = items.Any(i => i.Kind is FetchItemKind.Preview or FetchItemKind.PreviewFuzzy or FetchItemKind.SnippetFuzzy)
                ? (await session.SelectedMailbox.GetMessagesAsync(page.States.OfType<MessageState>().Select(m => m.MessageId).ToArray())).ToDictionary(m => m.MessageId)
                : null;
            var seenNow = setsSeen ? await MarkSeenAsync(session, page, fetch.ChangedSince) : null;
            for (var k = 0; k < page.Indexes.Length; k++)
            {
                var index = page.Indexes[k];
                // Expunged by another session and not yet announced: nothing to show (RFC 2180 §4.1.3).
                if (page.States[k] is not { } state) continue;
                if (fetch.ChangedSince is { } changedSince && state.Modseq <= changedSince) continue;
                LoadedMessage? loaded = null;
                if (need is { } needed)
                {
                    loaded = await session.LoadMessageAsync(state, needed, ct);
                    if (loaded is null) continue;
                }
                var flagsChanged = seenNow?.Contains(state.MessageId) == true;
                if (flagsChanged || items.Any(i => i.Kind == FetchItemKind.Flags)) session.AnnounceKeywords(state.Flags);
                var w = session.Writer().Raw(session.FetchHead(index, state.Uid)).Open();
                foreach (var item in items)
                {
                    if (item.Kind is FetchItemKind.Preview or FetchItemKind.PreviewFuzzy or FetchItemKind.SnippetFuzzy or FetchItemKind.EmailId or FetchItemKind.ThreadId)
                    {
                        WriteObjectItem(w, item, state, records?.GetValueOrDefault(state.MessageId));
                        continue;
                    }
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
            done += page.Indexes.Length;
            await session.Progress.ReportAsync(session, done, indexes.Count, ct);
        }
        return ImapResult.Ok("FETCH completed");
    }

    /// <summary>Longest PREVIEW text, in characters (RFC 8970 §3: at most 256).</summary>
    public const int PreviewLength = 256;

    /// <summary>
    /// PREVIEW (RFC 8970 §3: plain text, no line breaks, at most 256 characters, NIL when there is none), EMAILID and
    /// THREADID (RFC 8474 §5: the grain's message and thread ids, "M" and "T" then the number; THREADID NIL without one).
    /// </summary>
    private static void WriteObjectItem(ImapWriter w, FetchItem item, MessageState state, MessageRecord? record)
    {
        switch (item.Kind)
        {
            case FetchItemKind.EmailId:
                w.Atom("EMAILID").Open().Atom("M" + state.MessageId).Close();
                break;
            case FetchItemKind.ThreadId when state.ThreadId > 0:
                w.Atom("THREADID").Open().Atom("T" + state.ThreadId).Close();
                break;
            case FetchItemKind.ThreadId:
                w.Atom("THREADID").Nil();
                break;
            default:
            {
                var text = System.Text.RegularExpressions.Regex.Replace(record?.Summary.Preview ?? "", @"\s+", " ").Trim();
                if (text.Length > PreviewLength) text = text[..PreviewLength];
                if (item.Kind == FetchItemKind.Preview)
                {
                    w.Atom("PREVIEW").NString(record is null ? null : text);
                    break;
                }
                // The draft's answer: (FUZZY text), the text never NIL.
                w.Atom(item.Kind == FetchItemKind.SnippetFuzzy ? "SNIPPET" : "PREVIEW").Open().Atom("FUZZY").String(text).Close();
                break;
            }
        }
    }

    /// <summary>
    /// Sets \Seen on the page's unseen messages in one write, before their content goes out (RFC 9051 §6.4.5), and
    /// returns the ids of those it changed; their states take the new flags and MODSEQ.
    /// </summary>
    private static async Task<HashSet<long>> MarkSeenAsync(ImapSession session, MessageBatch page, long? changedSince)
    {
        var unseen = page.States.OfType<MessageState>()
            .Where(m => (changedSince is not { } since || m.Modseq > since) && !m.Flags.Contains(MessageFlags.Seen)).ToList();
        var seenNow = new HashSet<long>();
        foreach (var chunk in unseen.Chunk(IMailboxGrain.MaxContentBatch))
        {
            var result = await session.SelectedMailbox.StoreFlagsAsync(chunk.Select(m => m.MessageId).ToArray(), FlagStoreMode.Add, [MessageFlags.Seen], null);
            session.Selected!.NoteOwnChanges(result.FirstModseq, result.LastModseq);
            var byId = result.Stored.ToDictionary(r => r.MessageId);
            foreach (var message in chunk)
            {
                if (!byId.TryGetValue(message.MessageId, out var updated)) continue; // expunged meanwhile
                message.Flags = updated.Flags;
                message.Modseq = updated.Modseq;
                seenNow.Add(message.MessageId);
            }
        }
        return seenNow;
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
            // RFC 8514 §4: every folder here keeps save dates, so SAVEDATE is never NIL.
            case FetchItemKind.SaveDate:
                w.Atom("SAVEDATE").Quoted(ImapDate.FormatDateTime(state.SaveDate ?? state.InternalDate));
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
                EnvelopeWriter.Write(w, loaded!.Bytes.Span, loaded.Root, session.Utf8);
                break;
            case FetchItemKind.BodyStructure or FetchItemKind.Body:
                w.Atom(item.Kind == FetchItemKind.Body ? "BODY" : "BODYSTRUCTURE");
                BodyStructureWriter.Write(w, loaded!.Bytes.Span, loaded.Root, item.Kind == FetchItemKind.BodyStructure, session.Utf8);
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
