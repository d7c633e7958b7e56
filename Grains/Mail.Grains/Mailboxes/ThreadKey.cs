using Mail.Grains.Interfaces.Mailboxes;
using Mail.Mime;
using MimeKit;

namespace Mail.Grains.Mailboxes;

/// <summary>
/// What the subject fallback of threading compares (see infra/migrations/0017_sieve.sql): the base subject of
/// RFC 5256 §2.1 in its i;ascii-casemap form (so "Re: Lunch" and "lunch" meet, as in IMAP THREAD), the bare,
/// lower-cased addresses of From, To and Cc, and the sender who must be among an earlier message's participants.
/// </summary>
public static class ThreadKey
{
    /// <summary>The base-subject key, or null when the subject has none (an empty subject never joins by subject).</summary>
    public static string? Subject(MessageSummary summary) => BaseSubject.Key(summary.Subject) is { Length: > 0 } key ? key : null;

    /// <summary>The participants' addresses, lower-cased and without duplicates.</summary>
    public static string[] Participants(MessageSummary summary) =>
        new[] { summary.From }.Concat(summary.To).Concat(summary.Cc)
            .SelectMany(Addresses).Select(a => a.ToLowerInvariant()).Distinct().ToArray();

    /// <summary>The From address, lower-cased, or null.</summary>
    public static string? Sender(MessageSummary summary) => Addresses(summary.From).FirstOrDefault()?.ToLowerInvariant();

    private static IEnumerable<string> Addresses(string field) =>
        InternetAddressList.TryParse(field, out var list) ? list.Mailboxes.Select(m => m.Address) : [];
}
