using System.Text.RegularExpressions;
using Mail.Frontends.Tests.Smtp;

namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// CONDSTORE (RFC 7162): the first CONDSTORE-enabling command in a selected mailbox is answered with HIGHESTMODSEQ
/// (§3.1), ESEARCH's MODSEQ is the highest of the messages it returns (RFC 4731 §3.2, RFC 7162 §3.1.5), and FETCH MODSEQ
/// never runs ahead of the HIGHESTMODSEQ the session reported plus the changes it announced.
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapModseqTranscriptTests(ImapHostFixture host)
{
    private async Task<SmtpTranscript> WithFourMessagesAsync()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        api.Dispose();
        var imap = await ImapTestMail.LoginAsync(host, address);
        for (var i = 1; i <= 4; i++) await ImapMessages.AppendAsync(imap, "INBOX", "", ImapMessages.Simple("M" + i), i);
        await imap.RunAsync("""
            C: s1 SELECT INBOX
            S: * FLAGS*
            S: * 4 EXISTS
            S: * 4 RECENT
            S: * OK [UNSEEN 1]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 5] Predicted next UID
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-WRITE] SELECT completed
            """);
        return imap;
    }

    [Fact]
    public async Task TheFirstCondstoreEnablingCommandReportsHighestModseq()
    {
        await using var imap = await WithFourMessagesAsync();
        await imap.CommandAsync("f1 FETCH 1 (MODSEQ)");
        var highest = long.Parse(Regex.Match(await imap.ExpectLineStartsWithAsync("* OK [HIGHESTMODSEQ "), @"HIGHESTMODSEQ (\d+)").Groups[1].Value);
        var modseq = long.Parse(Regex.Match(await imap.ExpectLineStartsWithAsync("* 1 FETCH (MODSEQ ("), @"MODSEQ \((\d+)\)").Groups[1].Value);
        await imap.ExpectLineStartsWithAsync("f1 OK FETCH completed");
        Assert.True(modseq <= highest, $"MODSEQ {modseq} is above the HIGHESTMODSEQ {highest} the session reported");
        await imap.RunAsync("""
            C: f2 FETCH 2 (MODSEQ)
            S: * 2 FETCH (MODSEQ (*
            S: f2 OK FETCH completed
            """);
    }

    [Fact]
    public async Task EsearchModseqIsTheHighestOfTheReturnedMessages()
    {
        await using var imap = await WithFourMessagesAsync();
        var modseqs = new Dictionary<int, long>();
        await imap.CommandAsync("c1 FETCH 1 (MODSEQ)");
        await imap.ExpectLineStartsWithAsync("* OK [HIGHESTMODSEQ ");
        await imap.ExpectLineStartsWithAsync("* 1 FETCH ");
        await imap.ExpectLineStartsWithAsync("c1 OK ");
        // Stored in the order 1, 3, 2, 4: message 2 gets a higher MODSEQ than message 3.
        foreach (var n in new[] { 1, 3, 2, 4 })
        {
            await imap.CommandAsync($"w{n} STORE {n} +FLAGS.SILENT (\\Seen)");
            var line = await imap.ExpectLineStartsWithAsync($"* {n} FETCH (UID {n} MODSEQ (");
            modseqs[n] = long.Parse(Regex.Match(line, @"MODSEQ \((\d+)\)").Groups[1].Value);
            await imap.ExpectLineStartsWithAsync($"w{n} OK STORE completed");
        }
        Assert.True(modseqs[2] > modseqs[3]);
        await imap.RunAsync($"""
            C: e1 SEARCH RETURN (MIN) 1:3 MODSEQ "/flags/\\seen" all 1
            S: * ESEARCH (TAG "e1") MIN 1 MODSEQ {modseqs[1]}
            S: e1 OK SEARCH completed
            C: e2 SEARCH RETURN (MAX) 1:3 MODSEQ "/flags/\\seen" all 1
            S: * ESEARCH (TAG "e2") MAX 3 MODSEQ {modseqs[3]}
            S: e2 OK SEARCH completed
            C: e3 SEARCH RETURN () 1:3 MODSEQ "/flags/\\seen" all 1
            S: * ESEARCH (TAG "e3") ALL 1:3 MODSEQ {modseqs[2]}
            S: e3 OK SEARCH completed
            C: e4 SEARCH RETURN (MIN MAX) 3:4 MODSEQ 1
            S: * ESEARCH (TAG "e4") MIN 3 MAX 4 MODSEQ {modseqs[4]}
            S: e4 OK SEARCH completed
            C: e5 SEARCH RETURN (COUNT) 1:4 MODSEQ {modseqs[4] + 1}
            S: * ESEARCH (TAG "e5") COUNT 0
            S: e5 OK SEARCH completed
            C: e6 SEARCH MODSEQ {modseqs[2]}
            S: * SEARCH 2 4 (MODSEQ {modseqs[4]})
            S: e6 OK SEARCH completed
            """);
    }
}
