using System.Text;
using Mail.Frontends.Imap.Protocol;

namespace Mail.Protocol.Tests.Imap;

/// <summary>
/// The syntax of REPLACE (RFC 8508 §6), CREATE USE (RFC 6154 §6), SAVEDATE and the SAVED* keys (RFC 8514 §6), the OBJECTID
/// search keys (RFC 8474 §8), COMPRESS (RFC 4978 §5), APPEND UTF8 (RFC 6855 §4) and THREAD REFS.
/// </summary>
public sealed class ImapExtensionParserTests
{
    private static ImapCommand Parse(string command)
    {
        Assert.True(ImapCommandParser.TryParse(Encoding.UTF8.GetBytes(command + "\r\n"), 8, out var parsed, out _, out var error), error);
        return parsed!;
    }

    private static void Refused(string command) =>
        Assert.False(ImapCommandParser.TryParse(Encoding.UTF8.GetBytes(command + "\r\n"), 8, out _, out _, out _));

    [Fact]
    public void ReplaceTakesANumberAMailboxAndOneAppendMessage()
    {
        var replace = Assert.IsType<ReplaceCommand>(Parse("a REPLACE 3 Drafts (\\Draft) \"01-Jan-2025 10:00:00 +0000\" {5}\r\nHello"));
        Assert.Equal((3L, "Drafts", false), (replace.Number, replace.Mailbox, replace.Uid));
        Assert.Equal(["\\Draft"], replace.Message.Flags);
        Assert.Equal("Hello", Encoding.ASCII.GetString(replace.Message.Message.Span));
        var uid = Assert.IsType<ReplaceCommand>(Parse("a UID REPLACE 4294967295 \"Sent Items\" {1+}\r\nx"));
        Assert.True(uid.Uid);
        Assert.Equal(4294967295L, uid.Number);
        Assert.NotNull(Assert.IsType<ReplaceCommand>(Parse("a REPLACE 1 Drafts CATENATE (TEXT {2}\r\nab)")).Message.Catenate);
        Refused("a REPLACE 0 Drafts {1}\r\nx");
        Refused("a REPLACE 1:2 Drafts {1}\r\nx");
        Refused("a REPLACE 1 Drafts {1}\r\nx {1}\r\ny");
        Refused("a REPLACE 1 Drafts");
    }

    [Fact]
    public void CreateKeepsTheUseAttributesAndIgnoresOtherParameters()
    {
        Assert.Equal(["\\Archive"], Assert.IsType<CreateCommand>(Parse("a CREATE Old (USE (\\Archive))")).SpecialUse);
        Assert.Equal(["\\Sent", "\\Trash"], Assert.IsType<CreateCommand>(Parse("a CREATE Both (USE (\\Sent \\Trash))")).SpecialUse);
        Assert.Empty(Assert.IsType<CreateCommand>(Parse("a CREATE Plain")).SpecialUse);
        Assert.Empty(Assert.IsType<CreateCommand>(Parse("a CREATE X (OTHER value)")).SpecialUse);
    }

    [Fact]
    public void SaveDateAndObjectIdKeysAndItemsParse()
    {
        Assert.Equal([FetchItemKind.SaveDate, FetchItemKind.EmailId, FetchItemKind.ThreadId],
            Assert.IsType<FetchCommand>(Parse("a FETCH 1 (SAVEDATE EMAILID THREADID)")).Items.Select(i => i.Kind));
        var search = Assert.IsType<SearchCommand>(Parse("a SEARCH SAVEDBEFORE 1-Feb-2025 SAVEDON \"2-Feb-2025\" SAVEDSINCE 3-Feb-2025 SAVEDATESUPPORTED EMAILID M12 THREADID T7"));
        var keys = search.Criteria.Children;
        Assert.Equal([SearchKeyKind.SavedBefore, SearchKeyKind.SavedOn, SearchKeyKind.SavedSince, SearchKeyKind.All, SearchKeyKind.EmailId, SearchKeyKind.ThreadId],
            keys.Select(k => k.Kind));
        Assert.Equal(new DateOnly(2025, 2, 2), keys[1].Date);
        Assert.Equal(("M12", "T7"), (keys[4].Text, keys[5].Text));
        Refused("a SEARCH SAVEDON 31-Feb-2025");
        Refused("a SEARCH EMAILID");
    }

    [Fact]
    public void CompressAppendUtf8AndThreadRefsParse()
    {
        Assert.Equal("DEFLATE", Assert.IsType<CompressCommand>(Parse("a compress deflate")).Mechanism);
        Refused("a COMPRESS");
        var append = Assert.IsType<AppendCommand>(Parse("a APPEND INBOX (\\Seen) UTF8 (~{6}\r\nGrüß)"));
        Assert.True(append.Messages[0].Utf8);
        Assert.Equal("Grüß", Encoding.UTF8.GetString(append.Messages[0].Message.Span));
        Refused("a APPEND INBOX UTF8 ({4}\r\nabcd)");
        Refused("a APPEND INBOX UTF8 (~{4}\r\nabcd");
        Assert.Equal(ThreadAlgorithm.Refs, Assert.IsType<ThreadCommand>(Parse("a UID THREAD REFS UTF-8 ALL")).Algorithm);
    }
}
