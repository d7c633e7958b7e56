using System.Text;

namespace Mail.Frontends.Tests.Imap;

/// <summary>THREAD=REFS (Dovecot's REFS: references only, threads by their newest message) and UTF8=ACCEPT (RFC 6855).</summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapRefsUtf8Tests(ImapHostFixture host)
{
    private static string Message(string subject, string id, string? inReplyTo = null) =>
        $"From: Alice <alice@example.test>\r\nTo: Bob <bob@example.test>\r\nSubject: {subject}\r\nDate: Mon, 03 Feb 2025 10:00:00 +0000\r\n" +
        $"Message-ID: <{id}@example.test>\r\n" + (inReplyTo is null ? "" : $"In-Reply-To: <{inReplyTo}@example.test>\r\n") + "\r\nText.\r\n";

    [Fact]
    public async Task RefsThreadsByReferencesOnlyAndOrdersThreadsByTheirNewestMessage()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(imap, "INBOX", "\"01-Jan-2025 10:00:00 +0000\" ", Message("Topic A", "a1"), 1);
        await ImapMessages.AppendAsync(imap, "INBOX", "\"02-Jan-2025 10:00:00 +0000\" ", Message("Topic B", "b1"), 2);
        await ImapMessages.AppendAsync(imap, "INBOX", "\"05-Jan-2025 10:00:00 +0000\" ", Message("Re: Topic A", "a2", inReplyTo: "a1"), 3);
        await ImapMessages.AppendAsync(imap, "INBOX", "\"04-Jan-2025 10:00:00 +0000\" ", Message("Topic B", "b2"), 4);
        Assert.Contains(" THREAD=REFS", (await imap.CommandLinesAsync("c1 CAPABILITY"))[0]);
        await imap.CommandLinesAsync("s1 SELECT INBOX");
        // Thread A's newest message (5 Jan) is the newest of all, so it comes last; the two "Topic B" messages share a
        // subject but no references, so REFS keeps them apart (REFERENCES would gather them, RFC 5256 step 5).
        Assert.Equal(["* THREAD (2)(4)(1 3)", "t1 OK THREAD completed"], await imap.CommandLinesAsync("t1 THREAD REFS UTF-8 ALL"));
        Assert.Equal(["* THREAD (2)(4)(1 3)", "t2 OK THREAD completed"], await imap.CommandLinesAsync("t2 UID THREAD REFS UTF-8 ALL"));
        Assert.Equal("* THREAD (1 3)((2)(4))", (await imap.CommandLinesAsync("t3 THREAD REFERENCES UTF-8 ALL"))[0]);
        Assert.Equal("* THREAD (1)(4)", (await imap.CommandLinesAsync("t4 THREAD REFS UTF-8 NOT UID 2:3"))[0]);
    }

    [Fact]
    public async Task Utf8AcceptTakesUtf8NamesAndMessagesAndRefusesSearchCharset()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var other = await ImapTestMail.LoginAsync(host, address);
        var message = "From: Jörg <joerg@example.test>\r\nTo: Bob <bob@example.test>\r\nSubject: Grüße aus Köln\r\n" +
                      "Date: Mon, 03 Feb 2025 10:00:00 +0000\r\nMessage-ID: <utf8@example.test>\r\n\r\nHallo.\r\n";
        var literal = $"UTF8 (~{{{Encoding.UTF8.GetByteCount(message)}+}}\r\n{message})";
        Assert.StartsWith("x1 BAD ", (await other.CommandLinesAsync($"x1 APPEND INBOX {literal}"))[^1]);

        await using var imap = await ImapTestMail.LoginAsync(host, address);
        Assert.Contains(" UTF8=ACCEPT", (await imap.CommandLinesAsync("c1 CAPABILITY"))[0]);
        Assert.Equal(["* ENABLED UTF8=ACCEPT", "e1 OK ENABLE completed"], await imap.CommandLinesAsync("e1 ENABLE UTF8=ACCEPT"));
        Assert.Equal("c2 OK", (await imap.CommandLinesAsync("c2 CREATE \"Café&Co\""))[^1][..5]);
        Assert.Contains("* LIST (\\HasNoChildren) \"/\" \"Café&Co\"", await imap.CommandLinesAsync("l1 LIST \"\" Caf*"));
        // A session without UTF8=ACCEPT sees the same folder in modified UTF-7 (RFC 3501 §5.1.3).
        Assert.Contains("* LIST (\\HasNoChildren) \"/\" Caf&AOk-&-Co", await other.CommandLinesAsync("l2 LIST \"\" Caf*"));
        var appended = await imap.CommandLinesAsync($"a1 APPEND \"Café&Co\" {literal}");
        Assert.StartsWith("a1 OK [APPENDUID ", appended[^1]);
        await imap.CommandLinesAsync("s1 SELECT \"Café&Co\"");
        var envelope = (await imap.CommandLinesAsync("f1 FETCH 1 (ENVELOPE)"))[0];
        Assert.Contains("\"Grüße aus Köln\"", envelope);
        Assert.Contains("\"Jörg\"", envelope);
        Assert.Equal("* SEARCH 1", (await imap.CommandLinesAsync("q1 SEARCH SUBJECT \"Grüße\""))[0]);
        Assert.StartsWith("q2 BAD ", (await imap.CommandLinesAsync("q2 SEARCH CHARSET UTF-8 SUBJECT Köln"))[^1]);
        Assert.Equal("* STATUS \"Café&Co\" (MESSAGES 1)", (await imap.CommandLinesAsync("st STATUS \"Café&Co\" (MESSAGES)"))[0]);
    }
}
