using System.Text;

namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// The parser and its limits (RFC 9051 §9): any atom is a mailbox name ("~foo" is no literal8), a missing mailbox is
/// NO [NONEXISTENT] (never BAD, never a disconnect), lines of 8192 octets and more (RFC 7162 §4), an ID of RFC 2971's
/// maximum size before login, sequence numbers up to 4294967295 and "*" anywhere in a set.
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapSyntaxLimitsTranscriptTests(ImapHostFixture host)
{
    [Fact]
    public async Task AnyAtomIsAMailboxNameAndAMissingOneIsNonexistent()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await imap.RunAsync("""
            C: a1 SELECT ~foo
            S: a1 NO [NONEXISTENT] Folder ~foo does not exist.
            C: a2 EXAMINE !#$&'+,-.0123456789:;<=>?@^_`|[}
            S: a2 NO [NONEXISTENT] Folder !#$&'+,-.0123456789:;<=>?@^_`|[} does not exist.
            C: a3 STATUS ~foo (MESSAGES)
            S: a3 NO [NONEXISTENT] Mailbox ~foo does not exist
            C: a4 DELETE ~foo
            S: a4 NO [NONEXISTENT] Folder ~foo does not exist.
            C: a5 RENAME ~foo ~bar
            S: a5 NO [NONEXISTENT] Folder ~foo does not exist.
            C: a6 CREATE ~foo
            S: a6 OK [MAILBOXID (*
            C: a7 CREATE !#$'+,-.:;<=>?@^_`|[}
            S: a7 OK [MAILBOXID (*
            C: a8 LIST "" ~*
            S: * LIST (\HasNoChildren) "/" ~foo
            S: a8 OK LIST completed
            C: a9 STATUS !#$'+,-.:;<=>?@^_`|[} (MESSAGES)
            S: * STATUS !#$'+,-.:;<=>?@^_`|[} (MESSAGES 0)
            S: a9 OK STATUS completed
            C: b1 APPEND ~nowhere {3+}
            C: x
            C:
            S: b1 NO [TRYCREATE] Mailbox ~nowhere does not exist
            C: b2 NOOP
            S: b2 OK NOOP completed
            """);
    }

    [Fact]
    public async Task CommandLinesLongerThan8192OctetsAreAccepted()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(imap, "INBOX", "", ImapMessages.Simple("One"), 1);
        // A UID set of 3000 ranges: about 20 KB on one line.
        var set = string.Join(',', Enumerable.Range(0, 3000).Select(i => $"{i * 10 + 1}:{i * 10 + 5}"));
        Assert.True(set.Length > 16_000);
        await imap.RunAsync($"""
            C: s1 SELECT INBOX
            S: * FLAGS*
            S: * 1 EXISTS
            S: * 1 RECENT
            S: * OK [UNSEEN 1]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 2] Predicted next UID
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-WRITE] SELECT completed
            C: f1 UID FETCH {set} (FLAGS)
            S: * 1 FETCH (UID 1 FLAGS (\Recent))
            S: f1 OK FETCH completed
            C: f2 UID SEARCH UID {set}
            S: * SEARCH 1
            S: f2 OK SEARCH completed
            """);
    }

    [Fact]
    public async Task AnIdOfTheLargestLegalSizeIsAnsweredBeforeLogin()
    {
        await using var imap = await ImapTestMail.OpenTlsAsync(host);
        // RFC 2971 §3.3: at most 30 field-value pairs, fields of 30 octets, values of 1024.
        var fields = Enumerable.Range(0, 30).Select(i => $"\"f{i:D2}{new string('x', 27)}\" \"{new string((char)('a' + i % 26), 1024)}\"");
        var line = "i1 ID (" + string.Join(' ', fields) + ")";
        Assert.True(line.Length > 31_000);
        await imap.RunAsync($"""
            C: {line}
            S: * ID ("name" "Mail" "vendor" "Mail")
            S: i1 OK ID completed
            C: i2 NOOP
            S: i2 OK NOOP completed
            """);
    }

    [Fact]
    public async Task SequenceNumbersUpTo4294967295AndStarAnywhere()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        for (var i = 1; i <= 3; i++) await ImapMessages.AppendAsync(imap, "INBOX", "(\\Seen) ", ImapMessages.Simple("M" + i), i);
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
            C: u1 UID SEARCH UID 1:4294967295
            S: * SEARCH 1 2 3
            S: u1 OK SEARCH completed
            C: u2 UID SEARCH UID 4:4294967295
            S: * SEARCH
            S: u2 OK SEARCH completed
            C: u3 UID FETCH 4294967295 (FLAGS)
            S: u3 OK FETCH completed
            C: u4 UID FETCH 4294967295:* (UID)
            S: * 3 FETCH (UID 3)
            S: u4 OK FETCH completed
            C: u5 SEARCH *:2
            S: * SEARCH 2 3
            S: u5 OK SEARCH completed
            C: u6 FETCH *,1 (UID)
            S: * 1 FETCH (UID 1)
            S: * 3 FETCH (UID 3)
            S: u6 OK FETCH completed
            C: u7 UID SEARCH UID *:*
            S: * SEARCH 3
            S: u7 OK SEARCH completed
            C: u8 UID FETCH 4294967296 (FLAGS)
            S: u8 BAD Number too large
            C: u9 FETCH 4 (FLAGS)
            S: u9 BAD Invalid message sequence number
            """);
    }
}
