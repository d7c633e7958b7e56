using System.Text;
using Mail.Frontends.Tests.Smtp;

namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// Addresses as RFC 5322 §3.4 allows them: ENVELOPE keeps source routes and group syntax (RFC 9051 §7.5.2); SEARCH FROM,
/// TO and CC match display names, encoded words, comments and group members; SORT address keys use the first address's
/// mailbox, a group's name for a group (RFC 5256 §3).
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapAddressTranscriptTests(ImapHostFixture host)
{
    private static readonly string[] Messages =
    [
        "From: <@route1,@route2:user@domain.example>\r\nTo: group: g1@d1.example, g2@d2.example;, lone@d3.example\r\nCc: empty:;\r\nSubject: routes\r\n\r\nbody\r\n",
        "From: =?utf-8?q?J=C3=B6rg_Real?= <jorg@from.example>\r\nTo: user-to@to.example (Comment Name)\r\nCc: \"Last, First\" <lf@cc.example>\r\nSubject: names\r\n\r\nbody\r\n",
        "From: <user-from (comment)@ (comment) from.example>\r\nTo: aaa@to.example\r\nCc: zeta: blah@cc.example;\r\nSubject: comments\r\n\r\nbody\r\n",
    ];

    private async Task<SmtpTranscript> WithMessagesAsync()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        api.Dispose();
        var imap = await ImapTestMail.LoginAsync(host, address);
        for (var i = 0; i < Messages.Length; i++) await ImapMessages.AppendAsync(imap, "INBOX", "(\\Seen) ", Messages[i], i + 1);
        await imap.RunAsync("""
            C: s1 SELECT INBOX
            S: * FLAGS*
            S: * 3 EXISTS
            S: * 3 RECENT
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 4] Predicted next UID
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-WRITE] SELECT completed
            """);
        return imap;
    }

    [Fact]
    public async Task EnvelopeKeepsSourceRoutesAndGroups()
    {
        await using var imap = await WithMessagesAsync();
        await imap.RunAsync("""
            C: e1 FETCH 1 (ENVELOPE)
            S: * 1 FETCH (ENVELOPE (NIL "routes" ((NIL "@route1,@route2" "user" "domain.example")) ((NIL "@route1,@route2" "user" "domain.example")) ((NIL "@route1,@route2" "user" "domain.example")) ((NIL NIL "group" NIL)(NIL NIL "g1" "d1.example")(NIL NIL "g2" "d2.example")(NIL NIL NIL NIL)(NIL NIL "lone" "d3.example")) ((NIL NIL "empty" NIL)(NIL NIL NIL NIL)) NIL NIL NIL))
            S: e1 OK FETCH completed
            C: e2 FETCH 3 (ENVELOPE)
            S: * 3 FETCH (ENVELOPE (NIL "comments" ((NIL NIL "user-from" "from.example")) ((NIL NIL "user-from" "from.example")) ((NIL NIL "user-from" "from.example")) ((NIL NIL "aaa" "to.example")) ((NIL NIL "zeta" NIL)(NIL NIL "blah" "cc.example")(NIL NIL NIL NIL)) NIL NIL NIL))
            S: e2 OK FETCH completed
            """);
    }

    [Fact]
    public async Task SearchMatchesTheAddressFormsAHeaderCanHold()
    {
        await using var imap = await WithMessagesAsync();
        await imap.RunAsync("""
            C: a1 SEARCH FROM user-from@from.example
            S: * SEARCH 3
            S: a1 OK SEARCH completed
            C: a3 SEARCH FROM "Real"
            S: * SEARCH 2
            S: a3 OK SEARCH completed
            C: a4 SEARCH TO "comment name"
            S: * SEARCH 2
            S: a4 OK SEARCH completed
            C: a5 SEARCH TO g2@d2
            S: * SEARCH 1
            S: a5 OK SEARCH completed
            C: a6 SEARCH TO group
            S: * SEARCH 1
            S: a6 OK SEARCH completed
            C: a7 SEARCH CC "Last, First <lf@"
            S: * SEARCH 2
            S: a7 OK SEARCH completed
            C: a8 SEARCH CC blah
            S: * SEARCH 3
            S: a8 OK SEARCH completed
            C: a9 SEARCH FROM user@domain.example
            S: * SEARCH 1
            S: a9 OK SEARCH completed
            C: b1 SEARCH CC nobody
            S: * SEARCH
            S: b1 OK SEARCH completed
            """);
    }

    [Fact]
    public async Task SearchOfUtf8TextFindsAnEncodedDisplayName()
    {
        await using var imap = await WithMessagesAsync();
        var name = "J\u00f6rg";
        await imap.SendAsync($"u1 SEARCH CHARSET UTF-8 FROM {{{Encoding.UTF8.GetByteCount(name)}+}}\r\n{name}\r\n");
        await imap.RunAsync("""
            S: * SEARCH 2
            S: u1 OK SEARCH completed
            """);
    }

    [Fact]
    public async Task SortByAddressUsesTheFirstAddressMailboxAndAGroupsName()
    {
        await using var imap = await WithMessagesAsync();
        await imap.RunAsync("""
            C: o1 SORT (FROM) UTF-8 ALL
            S: * SORT 2 1 3
            S: o1 OK SORT completed
            C: o2 SORT (TO) UTF-8 ALL
            S: * SORT 3 1 2
            S: o2 OK SORT completed
            C: o3 SORT (CC) UTF-8 ALL
            S: * SORT 1 2 3
            S: o3 OK SORT completed
            C: o4 SORT (REVERSE CC) UTF-8 ALL
            S: * SORT 3 2 1
            S: o4 OK SORT completed
            """);
    }
}
