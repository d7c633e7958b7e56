using System.Text;
using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Mime;
using MimeKit;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// SORT and UID SORT (RFC 5256 §3): the SEARCH key evaluation picks the messages, the envelope summary the grain
/// keeps gives addresses, subject and sent date; ties fall back to the sequence number.
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
        var states = new List<(int Index, MessageState State)>();
        await SearchHandler.MatchingAsync(session, sort.Search, ct, MessageDetail.Slot, (index, state) => states.Add((index, state)));
        var needsSummary = sort.Criteria.Any(c => c.Key is not (SortKey.Arrival or SortKey.Size));
        var summaries = needsSummary ? await session.SummariesAsync(states.Select(m => m.State)) : [];
        var entries = new List<SortEntry>(states.Count);
        foreach (var (index, state) in states)
        {
            entries.Add(new SortEntry(index, state, summaries.GetValueOrDefault(state.MessageId)));
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
        var builder = new StringBuilder("SORT");
        foreach (var entry in entries) builder.Append(' ').Append(sort.Uid ? entry.State.Uid : entry.Index + 1);
        session.Untagged(builder.ToString());
        return ImapResult.Ok("SORT completed");
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
        _ => 0,
    };

    /// <summary>The sent date (RFC 5256 §2.2): the Date header, else the internal date.</summary>
    internal static DateTimeOffset SentDate(MessageState state, MessageSummary? summary) => summary?.Date ?? state.InternalDate;

    /// <summary>The i;ascii-casemap form of the addr-mailbox of the first address in <paramref name="addresses"/>.</summary>
    private static string MailboxKey(IEnumerable<string>? addresses)
    {
        foreach (var text in addresses ?? [])
        {
            if (InternetAddressList.TryParse(text, out var list) && list.Mailboxes.FirstOrDefault() is { } mailbox)
            {
                return BaseSubject.AsciiUpper(mailbox.LocalPart ?? "");
            }
        }
        return "";
    }

    private sealed class SortEntry(int index, MessageState state, MessageSummary? summary)
    {
        private string? _subject, _from, _to, _cc;

        public int Index { get; } = index;

        public MessageState State { get; } = state;

        public MessageSummary? Summary { get; } = summary;

        public string SubjectKey => _subject ??= BaseSubject.Key(Summary?.Subject);

        public string FromKey => _from ??= MailboxKey(Summary is null ? null : [Summary.From]);

        public string ToKey => _to ??= MailboxKey(Summary?.To);

        public string CcKey => _cc ??= MailboxKey(Summary?.Cc);
    }
}
