using System.Text;
using Mail.Frontends.Tests.Smtp;

namespace Mail.Frontends.Tests.Imap;

/// <summary>SORT and THREAD (RFC 5256) and their UID forms as C:/S: transcripts over crafted subjects, dates and references.</summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapSortThreadTranscriptTests(ImapHostFixture host)
{
    // Sequence numbers 1-6 once the filler (UID 1) is expunged; UIDs are one more.
    private static readonly string[] Messages =
    [
        Message("Zed <zed@example.test>", "Zoe <zoe@example.test>", null, "Apples", "Mon, 03 Feb 2025 10:00:00 +0000", "<a1@t>", "References: <zz@t>\r\n"),
        Message("amy@example.test", "yan@example.test", null, "Re: Bananas", "Sat, 01 Feb 2025 09:00:00 +0000", "<b2@t>", "References: <b0@t>\r\n"),
        Message("Bob <Bob@example.test>", "xia@example.test", "One <one@example.test>", "RE: apples", "Tue, 04 Feb 2025 10:00:00 +0000", "<a3@t>", "References: <zz@t> <a1@t>\r\n"),
        Message("carol@example.test", null, null, "[list] Cherries (fwd)", null, "<c4@t>", ""),
        Message("Amy <amy@example.test>", "Yan <yan@example.test>", null, "Fwd: Apples", "Thu, 06 Feb 2025 10:00:00 +0000", "<a5@t>", "In-Reply-To: <a1@t>\r\n"),
        Message("dave@example.test", "xia@example.test", null, "Re: Bananas", "Fri, 07 Feb 2025 10:00:00 +0000", "<b6@t>", "References: <b0@t>\r\n"),
    ];

    private static readonly string[] InternalDates =
    [
        "10-Feb-2025 10:00:00 +0000", "08-Feb-2025 10:00:00 +0000", "09-Feb-2025 10:00:00 +0000",
        "01-Feb-2025 12:00:00 +0000", "12-Feb-2025 10:00:00 +0000", "11-Feb-2025 10:00:00 +0000",
    ];

    private static string Message(string from, string? to, string? cc, string subject, string? date, string id, string extra)
    {
        var builder = new StringBuilder($"From: {from}\r\n");
        if (to is not null) builder.Append($"To: {to}\r\n");
        if (cc is not null) builder.Append($"Cc: {cc}\r\n");
        builder.Append($"Subject: {subject}\r\n");
        if (date is not null) builder.Append($"Date: {date}\r\n");
        builder.Append($"Message-ID: {id}\r\n").Append(extra).Append("\r\nBody ").Append(new string('x', subject.Length * 7 % 23)).Append("\r\n");
        return builder.ToString();
    }

    private async Task<SmtpTranscript> WithMessagesAsync()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        api.Dispose();
        var imap = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(imap, "INBOX", "", ImapMessages.Simple("Filler"), 1);
        for (var i = 0; i < Messages.Length; i++)
        {
            await ImapMessages.AppendAsync(imap, "INBOX", $"\"{InternalDates[i]}\" ", Messages[i], i + 2);
        }
        await imap.RunAsync("""
            C: s1 SELECT INBOX
            S: * FLAGS*
            S: * 7 EXISTS
            S: * 7 RECENT
            S: * OK [UNSEEN 1]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 8]*
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-WRITE] SELECT completed
            C: s2 STORE 1 +FLAGS.SILENT (\Deleted)
            S: s2 OK STORE completed
            C: s3 EXPUNGE
            S: * 1 EXPUNGE
            S: s3 OK EXPUNGE completed
            """);
        return imap;
    }

    [Fact]
    public async Task SortOrdersByEachKeyWithReverseUidAndSearchKeys()
    {
        await using var imap = await WithMessagesAsync();
        var bySize = string.Join(' ', Messages.Select((m, i) => (Size: Encoding.UTF8.GetByteCount(m), Seq: i + 1))
            .OrderByDescending(m => m.Size).ThenBy(m => m.Seq).Select(m => m.Seq));
        await imap.RunAsync($"""
            C: o1 SORT (DATE) UTF-8 ALL
            S: * SORT 2 4 1 3 5 6
            S: o1 OK SORT completed
            C: o2 SORT (ARRIVAL) US-ASCII ALL
            S: * SORT 4 2 3 1 6 5
            S: o2 OK SORT completed
            C: o3 SORT (REVERSE ARRIVAL) UTF-8 ALL
            S: * SORT 5 6 1 3 2 4
            S: o3 OK SORT completed
            C: o4 SORT (SUBJECT) UTF-8 ALL
            S: * SORT 1 3 5 2 6 4
            S: o4 OK SORT completed
            C: o5 SORT (SUBJECT REVERSE DATE) UTF-8 ALL
            S: * SORT 5 3 1 6 2 4
            S: o5 OK SORT completed
            C: o6 SORT (FROM) UTF-8 ALL
            S: * SORT 2 5 3 4 6 1
            S: o6 OK SORT completed
            C: o7 SORT (TO) UTF-8 ALL
            S: * SORT 4 3 6 2 5 1
            S: o7 OK SORT completed
            C: o8 SORT (CC) UTF-8 ALL
            S: * SORT 1 2 4 5 6 3
            S: o8 OK SORT completed
            C: o9 SORT (REVERSE SIZE) UTF-8 ALL
            S: * SORT {bySize}
            S: o9 OK SORT completed
            C: u1 UID SORT (DATE) UTF-8 ALL
            S: * SORT 3 5 2 4 6 7
            S: u1 OK SORT completed
            C: u2 UID SORT (REVERSE SUBJECT ARRIVAL) UTF-8 NOT SUBJECT bananas
            S: * SORT 5 4 2 6
            S: u2 OK SORT completed
            C: u3 SORT (DATE) UTF-8 SUBJECT nothing
            S: * SORT
            S: u3 OK SORT completed
            C: b1 SORT (DATE) KOI8-R ALL
            S: b1 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset
            C: b2 SORT (COLOR) UTF-8 ALL
            S: b2 BAD *
            """);
    }

    [Fact]
    public async Task ThreadByOrderedSubjectAndReferences()
    {
        await using var imap = await WithMessagesAsync();
        await imap.RunAsync("""
            C: t1 THREAD ORDEREDSUBJECT UTF-8 ALL
            S: * THREAD (2 6)(4)(1 (3)(5))
            S: t1 OK THREAD completed
            C: t2 THREAD REFERENCES UTF-8 ALL
            S: * THREAD ((2)(6))(4)(1 (3)(5))
            S: t2 OK THREAD completed
            C: t3 UID THREAD REFERENCES UTF-8 ALL
            S: * THREAD ((3)(7))(5)(2 (4)(6))
            S: t3 OK THREAD completed
            C: t4 UID THREAD ORDEREDSUBJECT UTF-8 SUBJECT apples
            S: * THREAD (2 (4)(6))
            S: t4 OK THREAD completed
            C: t5 THREAD REFERENCES UTF-8 NOT UID 2
            S: * THREAD ((2)(6))(4)((3)(5))
            S: t5 OK THREAD completed
            C: t6 THREAD REFERENCES UTF-8 UID 3
            S: * THREAD (2)
            S: t6 OK THREAD completed
            C: t7 THREAD REFERENCES UTF-8 DELETED
            S: * THREAD
            S: t7 OK THREAD completed
            C: b1 THREAD REFERENCES KOI8-R ALL
            S: b1 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset
            C: b2 THREAD SUBJECTS UTF-8 ALL
            S: b2 BAD *
            """);
    }

    [Fact]
    public async Task ThreadByReferencesGathersRootsWithTheSameBaseSubject()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        api.Dispose();
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        // No References anywhere: only RFC 5256 §2.6 step 5 can put these together. A reply goes under its
        // original even when it comes first (t3); two originals go under a new empty container (t1).
        string[] messages =
        [
            Message("a@example.test", null, null, "Plans", "Mon, 03 Feb 2025 10:00:00 +0000", "<p1@t>", ""),
            Message("b@example.test", null, null, "Re: Plans", "Tue, 04 Feb 2025 10:00:00 +0000", "<p2@t>", ""),
            Message("c@example.test", null, null, "plans", "Wed, 05 Feb 2025 10:00:00 +0000", "<p3@t>", ""),
            Message("d@example.test", null, null, "Lunch", "Thu, 06 Feb 2025 10:00:00 +0000", "<l4@t>", ""),
        ];
        for (var i = 0; i < messages.Length; i++) await ImapMessages.AppendAsync(imap, "INBOX", "", messages[i], i + 1);
        await imap.RunAsync("""
            C: s1 EXAMINE INBOX
            S: * FLAGS*
            S: * 4 EXISTS
            S: * 4 RECENT
            S: * OK [UNSEEN 1]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 5]*
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-ONLY] EXAMINE completed
            C: t1 THREAD REFERENCES UTF-8 ALL
            S: * THREAD ((1 2)(3))(4)
            S: t1 OK THREAD completed
            C: t2 THREAD REFERENCES UTF-8 NOT SUBJECT lunch
            S: * THREAD ((1 2)(3))
            S: t2 OK THREAD completed
            C: t3 THREAD REFERENCES UTF-8 NOT UID 1
            S: * THREAD (3 2)(4)
            S: t3 OK THREAD completed
            """);
    }
}
