using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace Mail.Frontends.Tests.Imap;

/// <summary>REPLACE and UID REPLACE (RFC 8508): append and expunge as one write, APPENDUID, and the RFC's errors.</summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapReplaceTests(ImapHostFixture host)
{
    [Fact]
    public async Task ReplaceInTheSelectedMailboxAnswersAppendUidThenExistsThenExpunge()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(imap, "Drafts", "(\\Draft) ", ImapMessages.Simple("Draft one"), 1);
        await ImapMessages.AppendAsync(imap, "Drafts", "(\\Draft) ", ImapMessages.Simple("Draft two"), 2);
        Assert.Contains(" REPLACE", (await imap.CommandLinesAsync("c1 CAPABILITY"))[0]);
        await imap.CommandLinesAsync("s1 SELECT Drafts");
        var replacement = ImapMessages.Simple("Draft one, edited");
        await imap.RunAsync($$"""
            C: r1 REPLACE 1 Drafts (\Draft \Seen) {{{Encoding.UTF8.GetByteCount(replacement)}}}
            S: + Ready for literal data
            """);
        await imap.SendAsync(replacement + "\r\n");
        var lines = await ReadUntilTaggedAsync(imap, "r1");
        Assert.Matches(@"^\* OK \[APPENDUID \d+ 3\] ", lines[0]);
        // IMAP4rev1: the new message is \Recent in this session (RFC 3501 §7.3.2).
        Assert.Equal(["* 3 EXISTS", "* 3 RECENT", "* 1 EXPUNGE", "r1 OK REPLACE completed"], lines[1..]);
        var fetched = await imap.CommandLinesAsync("f1 FETCH 1:* (UID FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
        Assert.StartsWith("* 1 FETCH (UID 2 FLAGS (", fetched[0]);
        Assert.Equal("Subject: Draft two", fetched[1]);
        Assert.StartsWith("* 2 FETCH (UID 3 FLAGS (", fetched[4]);
        Assert.Contains("\\Seen", fetched[4]);
        Assert.Equal("Subject: Draft one, edited", fetched[5]);
    }

    [Fact]
    public async Task UidReplaceIntoAnotherMailboxMovesTheDraftAndKeepsCountsRight()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(imap, "Drafts", "", ImapMessages.Simple("To send"), 1);
        await imap.CommandLinesAsync("s1 SELECT Drafts");
        var sent = ImapMessages.Simple("Sent version");
        await imap.CommandAsync($"r1 UID REPLACE 1 Sent {{{Encoding.UTF8.GetByteCount(sent)}+}}\r\n{sent}");
        var lines = await ReadUntilTaggedAsync(imap, "r1");
        Assert.Matches(@"^\* OK \[APPENDUID \d+ 1\] ", lines[0]);
        Assert.Equal(["* 1 EXPUNGE", "r1 OK REPLACE completed"], lines[1..]);
        var status = await imap.CommandLinesAsync("st1 STATUS Sent (MESSAGES UNSEEN)");
        Assert.Equal("* STATUS Sent (MESSAGES 1 UNSEEN 1)", status[0]);
        Assert.Equal("* STATUS Drafts (MESSAGES 0 UNSEEN 0)", (await imap.CommandLinesAsync("st2 STATUS Drafts (MESSAGES UNSEEN)"))[0]);
    }

    [Fact]
    public async Task ReplaceErrorsLeaveTheOriginalInPlace()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(imap, "Drafts", "", ImapMessages.Simple("Keep me"), 1);
        var body = ImapMessages.Simple("Never stored");
        var literal = $"{{{Encoding.UTF8.GetByteCount(body)}+}}\r\n{body}";
        // Not selected: REPLACE is a selected-state command.
        await imap.CommandAsync($"r0 REPLACE 1 Drafts {literal}");
        Assert.StartsWith("r0 BAD ", (await ReadUntilTaggedAsync(imap, "r0"))[^1]);
        await imap.CommandLinesAsync("s1 SELECT Drafts");
        await imap.CommandAsync($"r1 REPLACE 2 Drafts {literal}");
        Assert.Equal("r1 BAD Invalid message sequence number", (await ReadUntilTaggedAsync(imap, "r1"))[^1]);
        await imap.CommandAsync($"r2 UID REPLACE 9 Drafts {literal}");
        Assert.StartsWith("r2 NO [NONEXISTENT] ", (await ReadUntilTaggedAsync(imap, "r2"))[^1]);
        await imap.CommandAsync($"r3 REPLACE 1 Nowhere {literal}");
        Assert.StartsWith("r3 NO [TRYCREATE] ", (await ReadUntilTaggedAsync(imap, "r3"))[^1]);
        await imap.CommandLinesAsync("e1 EXAMINE Drafts");
        await imap.CommandAsync($"r4 REPLACE 1 Drafts {literal}");
        Assert.StartsWith("r4 NO ", (await ReadUntilTaggedAsync(imap, "r4"))[^1]);
        var fetched = await imap.CommandLinesAsync("f1 FETCH 1:* (UID)");
        Assert.Equal(["* 1 FETCH (UID 1)", "f1 OK FETCH completed"], fetched);
        Assert.Equal("* STATUS Drafts (MESSAGES 1 UIDNEXT 2)", (await imap.CommandLinesAsync("st STATUS Drafts (MESSAGES UIDNEXT)"))[0]);
    }

    [Fact]
    public async Task MailKitReplaceReturnsTheNewUid()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        using var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", host.ImapPort, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(address, ImapTestMail.Password);
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Replace));
        var drafts = await client.GetFolderAsync("Drafts");
        var first = await drafts.AppendAsync(Draft("version 1"), MessageFlags.Draft);
        await drafts.OpenAsync(FolderAccess.ReadWrite);
        var second = await drafts.ReplaceAsync(first!.Value, Draft("version 2"), MessageFlags.Draft);
        Assert.Equal(first.Value.Id + 1, second!.Value.Id);
        Assert.Equal(1, drafts.Count);
        var message = await drafts.GetMessageAsync(second.Value);
        Assert.Equal("version 2", message.Subject);
        await client.DisconnectAsync(true);

        static MimeMessage Draft(string subject)
        {
            var message = new MimeMessage { Subject = subject };
            message.From.Add(MailboxAddress.Parse("me@example.test"));
            message.Body = new TextPart("plain") { Text = "Draft body." };
            return message;
        }
    }

    private static async Task<List<string>> ReadUntilTaggedAsync(Mail.Frontends.Tests.Smtp.SmtpTranscript imap, string tag)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = (await imap.ReadLineAsync())!.TrimEnd('\r', '\n');
            lines.Add(line);
            if (line.StartsWith(tag + " ", StringComparison.Ordinal)) return lines;
        }
    }
}
