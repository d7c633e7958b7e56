using System.Text;
using Mail.Frontends.Imap.Mime;
using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Mime;
using MimeKit;
using MimeKit.Utils;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// SEARCH and UID SEARCH (RFC 9051 §6.4.4) over the selected mailbox, a page at a time: UID and sequence keys from the
/// session's map, flag keys from the grain's memory, size, date and MODSEQ keys from the database; header keys from the stored header; BODY and TEXT from the decoded text parts.
/// Answers ESEARCH (RFC 4731) when RETURN is given or IMAP4rev2 is enabled, else the IMAP4rev1 SEARCH response.
/// </summary>
public sealed class SearchHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["SEARCH"];

    /// <inheritdoc />
    public ImapState States => ImapState.Selected;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var search = (SearchCommand)command;
        if (search.Return.HasFlag(SearchReturn.Update) && session.Updates.Has(search.Tag)) return SearchUpdates.TagInUse(search.Tag);
        var saving = search.Return.HasFlag(SearchReturn.Save);
        if (search.Charset is not null && session.Utf8Accept)
        {
            // RFC 6855 §3: after ENABLE UTF8=ACCEPT the client must not name a charset; the server rejects it with BAD.
            if (saving) session.SavedResult = [];
            return ImapResult.Bad("SEARCH CHARSET is not allowed once UTF8=ACCEPT is enabled");
        }
        if (search.Charset is { } charset && !IsSupportedCharset(charset))
        {
            // RFC 5182 §2.1: a SEARCH that fails leaves "$" empty.
            if (saving) session.SavedResult = [];
            return BadCharset();
        }
        var selected = session.Selected!;
        var usesModseq = UsesModseq(search.Criteria);
        if (usesModseq) session.EnableCondstore();
        // The MODSEQ of each match, when a MODSEQ criterion asks for it in the answer (RFC 7162 §3.1.5).
        var modseqs = usesModseq ? new Dictionary<int, long>() : null;
        var matches = await MatchingAsync(session, search.Criteria, ct, usesModseq ? MessageDetail.Slot : MessageDetail.None,
            modseqs is null ? null : (index, state) => modseqs[index] = state.Modseq);
        if (saving) session.SavedResult = Saved(search.Return, matches).Select(selected.UidAt).ToArray();
        var numbers = matches.Select(i => search.Uid ? selected.UidAt(i) : i + 1).ToList();
        if (search.Return.HasFlag(SearchReturn.Update))
        {
            session.Updates.Start(session, search.Tag, search.Uid, search.Return, search.Partial, matches.Select(selected.UidAt), sort: null, search.Criteria);
        }
        if ((search.Return & ~SearchReturn.Update) == SearchReturn.Save) return ImapResult.Ok("SEARCH completed");
        if (search.Extended || session.Rev2)
        {
            var returns = search.Return is SearchReturn.None ? SearchReturn.All : search.Return;
            // RFC 4731 §3.2 (RFC 7162 §3.1.5): MODSEQ is the highest of the messages the answer returns: only the MIN
            // and MAX messages when those are all it returns, else every match (the messages SAVE would keep).
            var returned = Saved(returns, matches);
            long? highest = modseqs is not null && returned.Count > 0 ? returned.Max(i => modseqs[i]) : null;
            var builder = new StringBuilder("ESEARCH (TAG \"").Append(search.Tag).Append("\")");
            if (search.Uid) builder.Append(" UID");
            if (numbers.Count > 0 && returns.HasFlag(SearchReturn.Min)) builder.Append(" MIN ").Append(numbers.Min());
            if (numbers.Count > 0 && returns.HasFlag(SearchReturn.Max)) builder.Append(" MAX ").Append(numbers.Max());
            if (returns.HasFlag(SearchReturn.Count)) builder.Append(" COUNT ").Append(numbers.Count);
            if (numbers.Count > 0 && returns.HasFlag(SearchReturn.All)) builder.Append(" ALL ").Append(SequenceSet.Format(numbers));
            if (returns.HasFlag(SearchReturn.Partial)) builder.Append(PartialResult(search.Partial, numbers));
            if (highest is { } modseq) builder.Append(" MODSEQ ").Append(modseq);
            session.Untagged(builder.ToString());
        }
        else
        {
            long? highest = modseqs is not null && matches.Count > 0 ? matches.Max(i => modseqs[i]) : null;
            var builder = new StringBuilder("SEARCH");
            foreach (var n in numbers) builder.Append(' ').Append(n);
            if (highest is { } modseq) builder.Append(" (MODSEQ ").Append(modseq).Append(')');
            session.Untagged(builder.ToString());
        }
        return ImapResult.Ok("SEARCH completed");
    }

    /// <summary>" PARTIAL (low:high set)" (RFC 5267 §4.4): the results at positions low to high (1-based), NIL when none is.</summary>
    internal static string PartialResult((long Low, long High) range, List<long> numbers)
    {
        var from = (int)Math.Min(range.Low - 1, numbers.Count);
        var to = (int)Math.Min(range.High, numbers.Count);
        var set = to > from ? SequenceSet.Format(numbers.GetRange(from, to - from)) : "NIL";
        return $" PARTIAL ({range.Low}:{range.High} {set})";
    }

    /// <summary>
    /// The messages an ESEARCH answer stands for, which SAVE keeps (RFC 5182 §2.4): with MIN or MAX but neither ALL nor
    /// COUNT, only the lowest and highest matching messages; otherwise every match.
    /// </summary>
    private static List<int> Saved(SearchReturn returns, List<int> matches)
    {
        if (matches.Count == 0 || returns.HasFlag(SearchReturn.All) || returns.HasFlag(SearchReturn.Count)
            || !returns.HasFlag(SearchReturn.Min) && !returns.HasFlag(SearchReturn.Max))
        {
            return matches;
        }
        var kept = new List<int>(2);
        if (returns.HasFlag(SearchReturn.Min)) kept.Add(matches[0]);
        if (returns.HasFlag(SearchReturn.Max) && (kept.Count == 0 || kept[0] != matches[^1])) kept.Add(matches[^1]);
        return kept;
    }

    /// <summary>Whether a SEARCH, SORT or THREAD charset is one the key evaluation understands.</summary>
    internal static bool IsSupportedCharset(string charset) =>
        charset.Equals("UTF-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("US-ASCII", StringComparison.OrdinalIgnoreCase);

    /// <summary>The NO answer to an unsupported charset.</summary>
    internal static ImapResult BadCharset() => ImapResult.No("Unsupported charset", "BADCHARSET (UTF-8 US-ASCII)");

    /// <summary>
    /// The indexes (0-based) of the selected mailbox's messages that match <paramref name="criteria"/>, in order, walked a
    /// page at a time with what the keys need (flags from the grain's memory, sizes and dates from the database, content
    /// from the blobs) and at least <paramref name="detail"/>; <paramref name="matched"/> sees each match's state.
    /// </summary>
    internal static async Task<List<int>> MatchingAsync(ImapSession session, SearchKey criteria, CancellationToken ct,
        MessageDetail detail = MessageDetail.None, Action<int, MessageState>? matched = null)
    {
        var selected = session.Selected!;
        var needs = Needs(criteria);
        var context = new SearchContext(session, selected, needs ?? ContentNeed.CachedFields, ct);
        var matches = new List<int>();
        var pageSize = needs is null ? IMailboxGrain.MaxSlotBatch : ImapSession.PrefetchChunk;
        await foreach (var page in session.PagesAsync(MessageIndexes.All(selected.Count), (MessageDetail)Math.Max((int)detail, (int)Detail(criteria)), pageSize))
        {
            if (needs is not null) await session.PrefetchContentsAsync(page.States.OfType<MessageState>());
            for (var k = 0; k < page.Indexes.Length; k++)
            {
                // A message another session expunged matches nothing (RFC 2180 §4.1.3).
                if (page.States[k] is not { } state || !await context.MatchAsync(criteria, page.Indexes[k], state)) continue;
                matches.Add(page.Indexes[k]);
                matched?.Invoke(page.Indexes[k], state);
            }
            if (page.Indexes.Length > 0) await session.Progress.ReportAsync(session, page.Indexes[^1] + 1, selected.Count, ct);
        }
        return matches;
    }

    /// <summary>What a criteria tree needs of each message besides its content: flags, or the database's slot (size, dates, MODSEQ).</summary>
    private static MessageDetail Detail(SearchKey key) => key.Kind switch
    {
        SearchKeyKind.Larger or SearchKeyKind.Smaller or SearchKeyKind.Modseq or SearchKeyKind.Before or SearchKeyKind.On or SearchKeyKind.Since
            or SearchKeyKind.Older or SearchKeyKind.Younger or SearchKeyKind.SavedBefore or SearchKeyKind.SavedOn or SearchKeyKind.SavedSince
            or SearchKeyKind.ThreadId
            => MessageDetail.Slot,
        SearchKeyKind.Flag or SearchKeyKind.NoFlag => MessageDetail.Flags,
        _ => key.Children.Select(Detail).DefaultIfEmpty(MessageDetail.None).Max(),
    };

    private static bool UsesModseq(SearchKey key) => key.Kind == SearchKeyKind.Modseq || key.Children.Any(UsesModseq);

    /// <summary>What a criteria tree needs loaded: nothing (null), listing header fields, the header, or the whole message.</summary>
    private static ContentNeed? Needs(SearchKey key) => key.Kind switch
    {
        SearchKeyKind.Body or SearchKeyKind.Text => ContentNeed.Message,
        SearchKeyKind.Address => ContentNeed.CachedFields,
        SearchKeyKind.Header when HeaderCache.Fields.Contains(key.Field!) => ContentNeed.CachedFields,
        SearchKeyKind.Header => ContentNeed.Header,
        SearchKeyKind.SentBefore or SearchKeyKind.SentOn or SearchKeyKind.SentSince => ContentNeed.CachedFields,
        _ => key.Children.Select(Needs).DefaultIfEmpty(null).Max(),
    };

    private sealed class SearchContext(ImapSession session, SelectedFolder selected, ContentNeed needs, CancellationToken ct)
    {
        private int _loadedIndex = -1;
        private LoadedMessage? _loaded;
        private MimeMessage? _parsed;

        public async Task<bool> MatchAsync(SearchKey key, int index, MessageState state)
        {
            switch (key.Kind)
            {
                case SearchKeyKind.And:
                    foreach (var child in key.Children)
                    {
                        if (!await MatchAsync(child, index, state)) return false;
                    }
                    return true;
                case SearchKeyKind.Or:
                    return await MatchAsync(key.Children[0], index, state) || await MatchAsync(key.Children[1], index, state);
                case SearchKeyKind.Not:
                    return !await MatchAsync(key.Children[0], index, state);
                case SearchKeyKind.All:
                    return true;
                case SearchKeyKind.Recent:
                    return session.IsRecent(state.Uid);
                case SearchKeyKind.SequenceSet or SearchKeyKind.Uid when key.Set!.IsSavedResult:
                    return session.SavedResult.Contains(state.Uid);
                case SearchKeyKind.SequenceSet:
                    return key.Set!.Contains(index + 1, selected.Count);
                case SearchKeyKind.Uid:
                    return key.Set!.Contains(state.Uid, selected.MaxUid);
                case SearchKeyKind.Flag:
                    return state.Flags.Contains(key.Field!, StringComparer.OrdinalIgnoreCase);
                case SearchKeyKind.NoFlag:
                    return !state.Flags.Contains(key.Field!, StringComparer.OrdinalIgnoreCase);
                case SearchKeyKind.Larger:
                    return state.Size > key.Number;
                case SearchKeyKind.Smaller:
                    return state.Size < key.Number;
                case SearchKeyKind.Modseq:
                    return state.Modseq >= key.Number;
                case SearchKeyKind.Before:
                    return DateOnly.FromDateTime(state.InternalDate.UtcDateTime) < key.Date;
                case SearchKeyKind.On:
                    return DateOnly.FromDateTime(state.InternalDate.UtcDateTime) == key.Date;
                case SearchKeyKind.Since:
                    return DateOnly.FromDateTime(state.InternalDate.UtcDateTime) >= key.Date;
                case SearchKeyKind.SavedBefore:
                    return DateOnly.FromDateTime((state.SaveDate ?? state.InternalDate).UtcDateTime) < key.Date;
                case SearchKeyKind.SavedOn:
                    return DateOnly.FromDateTime((state.SaveDate ?? state.InternalDate).UtcDateTime) == key.Date;
                case SearchKeyKind.SavedSince:
                    return DateOnly.FromDateTime((state.SaveDate ?? state.InternalDate).UtcDateTime) >= key.Date;
                // RFC 8474 §6: the ids FETCH EMAILID and THREADID show.
                case SearchKeyKind.EmailId:
                    return key.Text == "M" + state.MessageId;
                case SearchKeyKind.ThreadId:
                    return state.ThreadId > 0 && key.Text == "T" + state.ThreadId;
                // RFC 5032 §3: OLDER n is older than n seconds, YOUNGER n no older than n seconds, against the internal date.
                case SearchKeyKind.Older:
                    return state.InternalDate < DateTimeOffset.UtcNow.AddSeconds(-key.Number);
                case SearchKeyKind.Younger:
                    return state.InternalDate >= DateTimeOffset.UtcNow.AddSeconds(-key.Number);
                case SearchKeyKind.SentBefore or SearchKeyKind.SentOn or SearchKeyKind.SentSince:
                {
                    var loaded = await LoadAsync(index, state);
                    var text = loaded is null ? null : MimeStructure.HeaderValue(loaded.Bytes.Span, loaded.Root, "Date");
                    if (text is null || !DateUtils.TryParse(text, out var sent)) return false;
                    // RFC 9051 §6.4.4: the date of the Date header, disregarding time and timezone.
                    var date = DateOnly.FromDateTime(sent.DateTime);
                    return key.Kind switch
                    {
                        SearchKeyKind.SentBefore => date < key.Date,
                        SearchKeyKind.SentOn => date == key.Date,
                        _ => date >= key.Date,
                    };
                }
                case SearchKeyKind.Header:
                {
                    var loaded = await LoadAsync(index, state);
                    return loaded is not null && HeaderContains(loaded, key.Field!, key.Text!, addresses: false);
                }
                case SearchKeyKind.Address:
                {
                    var loaded = await LoadAsync(index, state);
                    return loaded is not null && HeaderContains(loaded, key.Field!, key.Text!, addresses: true);
                }
                case SearchKeyKind.Body or SearchKeyKind.Text:
                {
                    var loaded = await LoadAsync(index, state);
                    if (loaded is null) return false;
                    if (key.Kind == SearchKeyKind.Text && UnicodeCasemap.Contains(HeaderText(loaded), key.Text!)) return true;
                    _parsed ??= MimeMessage.Load(new MemoryStream(loaded.Bytes.ToArray(), writable: false));
                    return _parsed.BodyParts.OfType<TextPart>().Any(p => p.Text is { } text && UnicodeCasemap.Contains(text, key.Text!));
                }
                default:
                    return false;
            }
        }

        private async Task<LoadedMessage?> LoadAsync(int index, MessageState state)
        {
            if (_loadedIndex == index) return _loaded;
            _loadedIndex = index;
            _parsed = null;
            _loaded = await session.LoadMessageAsync(state, needs, ct);
            return _loaded;
        }

        private static bool HeaderContains(LoadedMessage loaded, string field, string text, bool addresses)
        {
            var span = loaded.Bytes.Span;
            foreach (var header in loaded.Root.Fields)
            {
                if (!header.Name.Equals(field, StringComparison.OrdinalIgnoreCase)) continue;
                if (text.Length == 0) return true;
                var raw = MimeStructure.RawValue(span, header);
                if (UnicodeCasemap.Contains(Rfc2047.DecodeText(raw), text)) return true;
                if (addresses && AddressSearch.Contains(raw, text)) return true;
            }
            return false;
        }

        private static string HeaderText(LoadedMessage loaded)
        {
            var span = loaded.Bytes.Span;
            var builder = new StringBuilder();
            foreach (var header in loaded.Root.Fields)
            {
                builder.Append(header.Name).Append(": ").AppendLine(Rfc2047.DecodeText(MimeStructure.RawValue(span, header)));
            }
            return builder.ToString();
        }
    }
}
