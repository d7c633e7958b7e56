using System.Text;
using Mail.Frontends.Tests.Smtp;

namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// I18NLEVEL=1 (RFC 5255 §4.1): SEARCH matches and SORT orders under i;unicode-casemap (RFC 5051), so case, compatibility
/// forms and precomposed against combining accents make no difference, while the accents themselves do.
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapI18nTranscriptTests(ImapHostFixture host)
{
    private static readonly string[] Messages =
    [
        "From: a@example.test\r\nSubject: =?utf-8?q?R=C3=A9union_=EF=AC=81nale?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nLe caf\u00e9 est servi.\r\n",
        "From: b@example.test\r\nSubject: Reunion finale\r\n\r\nThe cafe is closed.\r\n",
        "From: c@example.test\r\nSubject: =?utf-8?q?=C3=A9t=C3=A9?=\r\n\r\nnothing\r\n",
    ];

    [Fact]
    public async Task SearchAndSortUseTheUnicodeCasemapComparator()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        api.Dispose();
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await imap.CommandAsync("c1 CAPABILITY");
        Assert.Contains(" I18NLEVEL=1 ", await imap.ExpectLineStartsWithAsync("* CAPABILITY ") + " ");
        await imap.ExpectLineStartsWithAsync("c1 OK");
        for (var i = 0; i < Messages.Length; i++)
        {
            await ImapMessages.AppendAsync(imap, "INBOX", "(\\Seen) ", Messages[i], i + 1);
        }
        await imap.RunAsync("""
            C: s1 EXAMINE INBOX
            S: * FLAGS*
            S: * 3 EXISTS
            S: * *
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 4] Predicted next UID
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-ONLY] EXAMINE completed
            """);
        // "RÉUNION FINALE" with a capital É and plain "FI" finds the precomposed é and the ﬁ ligature, not the unaccented one.
        await Utf8SearchAsync(imap, "u1", "SUBJECT", "R\u00c9UNION FINALE", "* SEARCH 1");
        // "CAFE" plus a combining acute finds the precomposed é in a body, and only there.
        await Utf8SearchAsync(imap, "u2", "BODY", "CAFE\u0301", "* SEARCH 1");
        await Utf8SearchAsync(imap, "u3", "TEXT", "reunion", "* SEARCH 2");
        // SORT SUBJECT orders the casemapped, decomposed base subjects: "ÉTÉ" (E, U+0301, ...) first, then "REUNION" before
        // "RÉUNION" ("U" sorts before the combining acute that follows the E).
        await imap.RunAsync("""
            C: o1 SORT (SUBJECT) UTF-8 ALL
            S: * SORT 3 2 1
            S: o1 OK SORT completed
            """);
    }

    private static async Task Utf8SearchAsync(SmtpTranscript imap, string tag, string key, string text, string expected)
    {
        await imap.SendAsync($"{tag} SEARCH CHARSET UTF-8 {key} {{{Encoding.UTF8.GetByteCount(text)}+}}\r\n{text}\r\n");
        await imap.RunAsync($"""
            S: {expected}
            S: {tag} OK SEARCH completed
            """);
    }
}
