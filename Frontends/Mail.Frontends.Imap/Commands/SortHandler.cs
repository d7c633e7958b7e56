using System.Text;
using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Frontends.Imap.Mime;
using Mail.Mime;
using MimeKit;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// SORT and UID SORT (RFC 5256 §3): the SEARCH key evaluation picks the messages, the envelope summary the grain
/// keeps gives subject and sent date, its header cache the address keys; ties fall back to the sequence number.
/// </summary>
public sealed class SortHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["SORT"];

    /// <inheritdoc />
    public ImapState States => ImapState.Selected;

    /// <inheritdoc />
    public async Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var sort = (SortCommand)command;
        if (!SearchHandler.IsSupportedCharset(sort.Charset)) return SearchHandler.BadCharset();
        if (sort.Return.HasFlag(SearchReturn.Update) && session.Updates.Has(sort.Tag)) return SearchUpdates.TagInUse(sort.Tag);
        var entries = await SortedAsync(session, sort, ct);
        var numbers = entries.Select(e => sort.Uid ? e.Uid : e.Index + 1).ToList();
        if (sort.Extended)
        {
            if (sort.Return.HasFlag(SearchReturn.Save)) session.SavedResult = entries.Select(e => e.Uid).ToArray();
            if (sort.Return.HasFlag(SearchReturn.Update)) session.Updates.Start(session, sort.Tag, sort.Uid, sort.Return, sort.Partial, entries.Select(e => e.Uid), sort, sort.Search);
            if ((sort.Return & ~SearchReturn.Update) != SearchReturn.Save) session.Untagged(Esort(sort, numbers));
            return ImapResult.Ok("SORT completed");
        }
        var builder = new StringBuilder("SORT");
        foreach (var n in numbers) builder.Append(' ').Append(n);
        session.Untagged(builder.ToString());
        return ImapResult.Ok("SORT completed");
    }

    /// <summary>The messages <paramref name="sort"/> picks, in its order: index in the view (0-based) and UID.</summary>
    internal static async Task<List<(int Index, long Uid)>> SortedAsync(ImapSession session, SortCommand sort, CancellationToken ct)
    {
        var states = new List<(int Index, MessageState State)>();
        await SearchHandler.MatchingAsync(session, sort.Search, ct, MessageDetail.Slot, (index, state) => states.Add((index, state)));
        var needsSummary = sort.Criteria.Any(c => c.Key is not (SortKey.Arrival or SortKey.Size));
        var summaries = needsSummary ? await session.SummariesAsync(states.Select(m => m.State)) : [];
        var addressFields = sort.Criteria.Select(c => c.Key switch
            {
                SortKey.From or SortKey.DisplayFrom => "From", SortKey.To or SortKey.DisplayTo => "To", SortKey.Cc => "Cc", _ => null,
            })
            .OfType<string>().Distinct().ToArray();
        var entries = new List<SortEntry>(states.Count);
        for (var position = 0; position < states.Count; position++)
        {
            var (index, state) = states[position];
            var entry = new SortEntry(index, state, summaries.GetValueOrDefault(state.MessageId));
            if (addressFields.Length > 0)
            {
                await session.PrefetchChunkAsync(states, position, m => m.State);
                await entry.LoadAddressKeysAsync(session, addressFields, ct);
            }
            entries.Add(entry);
        }
        entries.Sort((a, b) =>
        {
            foreach (var criterion in sort.Criteria)
            {
                var order = Compare(criterion.Key, a, b);
                if (order != 0) return criterion.Reverse ? -order : order;
            }
            return a.Index.CompareTo(b.Index);
        });
        return entries.Select(e => (e.Index, e.State.Uid)).ToList();
    }

    /// <summary>
    /// The ESEARCH answer of a SORT with RETURN (ESORT, RFC 5267 §3): MIN and MAX are the first and last message in sort
    /// order, ALL and PARTIAL list the messages in sort order as a sequence set that keeps that order (§4.2, §4.4).
    /// </summary>
    private static string Esort(SortCommand sort, List<long> numbers)
    {
        var builder = new StringBuilder("ESEARCH (TAG \"").Append(sort.Tag).Append("\")");
        if (sort.Uid) builder.Append(" UID");
        if (numbers.Count > 0 && sort.Return.HasFlag(SearchReturn.Min)) builder.Append(" MIN ").Append(numbers[0]);
        if (numbers.Count > 0 && sort.Return.HasFlag(SearchReturn.Max)) builder.Append(" MAX ").Append(numbers[^1]);
        if (sort.Return.HasFlag(SearchReturn.Count)) builder.Append(" COUNT ").Append(numbers.Count);
        if (numbers.Count > 0 && sort.Return.HasFlag(SearchReturn.All)) builder.Append(" ALL ").Append(SequenceSet.Format(numbers));
        if (sort.Return.HasFlag(SearchReturn.Partial)) builder.Append(SearchHandler.PartialResult(sort.Partial, numbers));
        return builder.ToString();
    }

    private static int Compare(SortKey key, SortEntry a, SortEntry b) => key switch
    {
        SortKey.Arrival => a.State.InternalDate.CompareTo(b.State.InternalDate),
        SortKey.Size => a.State.Size.CompareTo(b.State.Size),
        SortKey.Date => SentDate(a.State, a.Summary).CompareTo(SentDate(b.State, b.Summary)),
        SortKey.Subject => string.CompareOrdinal(a.SubjectKey, b.SubjectKey),
        SortKey.From => string.CompareOrdinal(a.FromKey, b.FromKey),
        SortKey.To => string.CompareOrdinal(a.ToKey, b.ToKey),
        SortKey.Cc => string.CompareOrdinal(a.CcKey, b.CcKey),
        SortKey.DisplayFrom => string.CompareOrdinal(a.DisplayKey("From"), b.DisplayKey("From")),
        SortKey.DisplayTo => string.CompareOrdinal(a.DisplayKey("To"), b.DisplayKey("To")),
        _ => 0,
    };

    /// <summary>The sent date (RFC 5256 §2.2): the Date header, else the internal date.</summary>
    internal static DateTimeOffset SentDate(MessageState state, MessageSummary? summary) => summary?.Date ?? state.InternalDate;

    /// <summary>
    /// The i;unicode-casemap form (I18NLEVEL=1, RFC 5255 §4.1) of the addr-mailbox of the first address of a field (RFC 5256 §3): a group comes first as
    /// its start marker, whose addr-mailbox is the group name (RFC 9051 §7.5.2); no field or no address sorts as "".
    /// </summary>
    private static string MailboxKey(ReadOnlySpan<byte> header, MimeNode root, string field)
    {
        foreach (var candidate in root.Fields)
        {
            if (!candidate.Name.Equals(field, StringComparison.OrdinalIgnoreCase)) continue;
            if (!InternetAddressList.TryParse(ParserOptions.Default, MimeStructure.RawValue(header, candidate), out var list) || list.Count == 0) return "";
            return UnicodeCasemap.Fold(list[0] switch
            {
                MailboxAddress mailbox => mailbox.LocalPart ?? "",
                GroupAddress group => group.Name ?? "",
                _ => "",
            });
        }
        return "";
    }

    /// <summary>
    /// The RFC 5957 §3 display key of a field's first address: its decoded display name, else its addr-spec (a group's
    /// name for a group), case-folded; no field or no address sorts as "".
    /// </summary>
    private static string DisplayKey(ReadOnlySpan<byte> header, MimeNode root, string field)
    {
        foreach (var candidate in root.Fields)
        {
            if (!candidate.Name.Equals(field, StringComparison.OrdinalIgnoreCase)) continue;
            if (!InternetAddressList.TryParse(ParserOptions.Default, MimeStructure.RawValue(header, candidate), out var list) || list.Count == 0) return "";
            var first = list[0];
            var display = string.IsNullOrWhiteSpace(first.Name) && first is MailboxAddress mailbox ? mailbox.Address : first.Name ?? "";
            return UnicodeCasemap.Fold(display.Trim());
        }
        return "";
    }

    private sealed class SortEntry(int index, MessageState state, MessageSummary? summary)
    {
        private string? _subject;
        private readonly Dictionary<string, string> _addressKeys = new(StringComparer.OrdinalIgnoreCase);

        public int Index { get; } = index;

        public MessageState State { get; } = state;

        public MessageSummary? Summary { get; } = summary;

        /// <summary>The base subject (RFC 5256 §2.1) under i;unicode-casemap (I18NLEVEL=1, RFC 5255 §4.1).</summary>
        public string SubjectKey => _subject ??= UnicodeCasemap.Fold(BaseSubject.Of(Summary?.Subject));

        public string FromKey => _addressKeys.GetValueOrDefault("From", "");

        public string ToKey => _addressKeys.GetValueOrDefault("To", "");

        public string CcKey => _addressKeys.GetValueOrDefault("Cc", "");

        public string DisplayKey(string field) => _addressKeys.GetValueOrDefault("Display" + field, "");

        /// <summary>
        /// Reads the address keys from the header cache kept with the row (the header itself for a message without one):
        /// the summary's address lists lose group structure.
        /// </summary>
        public async Task LoadAddressKeysAsync(ImapSession session, IReadOnlyList<string> fields, CancellationToken ct)
        {
            if (await session.LoadMessageAsync(State, ContentNeed.CachedFields, ct) is not { } loaded) return;
            foreach (var field in fields)
            {
                _addressKeys[field] = MailboxKey(loaded.Bytes.Span, loaded.Root, field);
                _addressKeys["Display" + field] = SortHandler.DisplayKey(loaded.Bytes.Span, loaded.Root, field);
            }
        }
    }
}
