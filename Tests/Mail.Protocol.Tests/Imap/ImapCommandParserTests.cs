using System.Text;
using Mail.Frontends.Imap.Protocol;

namespace Mail.Protocol.Tests.Imap;

public sealed class ImapCommandParserTests
{
    private static ImapCommand Parse(string command)
    {
        Assert.True(ImapCommandParser.TryParse(Encoding.UTF8.GetBytes(command + "\r\n"), 8, out var parsed, out _, out var error), error);
        return parsed!;
    }

    private static string Error(string command, int nesting = 8)
    {
        Assert.False(ImapCommandParser.TryParse(Encoding.UTF8.GetBytes(command + "\r\n"), nesting, out _, out _, out var error));
        return error!;
    }

    [Fact]
    public void LoginTakesAtomsQuotedStringsAndLiterals()
    {
        var login = Assert.IsType<LoginCommand>(Parse("a1 LOGIN \"al\\\"ice\" {7}\r\nsec ret"));
        Assert.Equal(("a1", "al\"ice", "sec ret"), (login.Tag, login.User, login.Password));
        Assert.Equal("t", Assert.IsType<LoginCommand>(Parse("a1 login {1+}\r\nx t")).Password);
    }

    [Fact]
    public void FetchParsesMacrosSectionsPartialsAndModifiers()
    {
        var all = Assert.IsType<FetchCommand>(Parse("a FETCH 1:* ALL"));
        Assert.Equal([FetchItemKind.Flags, FetchItemKind.InternalDate, FetchItemKind.Rfc822Size, FetchItemKind.Envelope], all.Items.Select(i => i.Kind));
        var fetch = Assert.IsType<FetchCommand>(Parse("a UID FETCH 1,3:5 (UID BODY.PEEK[1.2.HEADER.FIELDS.NOT (From \"To\")]<10.20> BINARY[2] BODY[] MODSEQ) (CHANGEDSINCE 99 VANISHED)"));
        Assert.True(fetch.Uid);
        Assert.Equal("1,3:5", fetch.Set.ToString());
        Assert.Equal(99, fetch.ChangedSince);
        Assert.True(fetch.Vanished);
        var section = fetch.Items[1];
        Assert.True(section.Peek);
        Assert.Equal("1.2.HEADER.FIELDS.NOT (From To)", section.Section!.Spec);
        Assert.Equal((10L, 20L), (section.Section.PartialStart!.Value, section.Section.PartialLength!.Value));
        Assert.Equal(FetchItemKind.Binary, fetch.Items[2].Kind);
        Assert.Equal("", fetch.Items[3].Section!.Spec);
        Assert.Equal(FetchItemKind.BodySection, Assert.IsType<FetchCommand>(Parse("a FETCH 1 BODY[TEXT]")).Items[0].Kind);
    }

    [Fact]
    public void StoreParsesModesSilentFlagsAndUnchangedSince()
    {
        var store = Assert.IsType<StoreCommand>(Parse("a STORE 2:4 (UNCHANGEDSINCE 7) -FLAGS.SILENT (\\Seen $Work)"));
        Assert.Equal((StoreMode.Remove, true, 7L), (store.Mode, store.Silent, store.UnchangedSince!.Value));
        Assert.Equal(["\\Seen", "$Work"], store.Flags);
        Assert.Equal(["\\Deleted", "\\Seen"], Assert.IsType<StoreCommand>(Parse("a STORE 1 FLAGS \\Deleted \\Seen")).Flags);
    }

    [Fact]
    public void SearchParsesNestedKeysReturnAndCharset()
    {
        var search = Assert.IsType<SearchCommand>(Parse("a UID SEARCH RETURN (MIN COUNT) CHARSET UTF-8 OR (FROM x SINCE 1-Feb-2024) NOT UID 5:* 1:3 MODSEQ 10"));
        Assert.True(search.Extended);
        Assert.Equal(SearchReturn.Min | SearchReturn.Count, search.Return);
        Assert.Equal("UTF-8", search.Charset);
        Assert.Equal(SearchKeyKind.And, search.Criteria.Kind);
        Assert.Equal([SearchKeyKind.Or, SearchKeyKind.SequenceSet, SearchKeyKind.Modseq], search.Criteria.Children.Select(c => c.Kind));
        var or = search.Criteria.Children[0];
        Assert.Equal(new DateOnly(2024, 2, 1), or.Children[0].Children[1].Date);
        Assert.Equal("5:*", or.Children[1].Children[0].Set!.ToString());
        Assert.Equal(SearchReturn.All, Assert.IsType<SearchCommand>(Parse("a SEARCH RETURN () ALL")).Return);
    }

    [Fact]
    public void SelectParsesCondstoreAndQresync()
    {
        var select = Assert.IsType<SelectCommand>(Parse("a SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))"));
        Assert.True(select.Condstore);
        Assert.Equal((67890007L, 20050715194045000L), (select.Qresync!.UidValidity, select.Qresync.Modseq));
        Assert.Equal("41,43:211,214:541", select.Qresync.KnownUids!.ToString());
        Assert.True(Assert.IsType<SelectCommand>(Parse("a EXAMINE \"Sent\" (CONDSTORE)")).ReadOnly);
    }

    [Fact]
    public void ListParsesExtendedSelectionPatternsAndReturnOptions()
    {
        var list = Assert.IsType<ListCommand>(Parse("a LIST (SUBSCRIBED) \"\" (\"INBOX\" Work/%) RETURN (CHILDREN STATUS (MESSAGES UNSEEN))"));
        Assert.Equal(["SUBSCRIBED"], list.SelectOptions);
        Assert.Equal(["INBOX", "Work/%"], list.Patterns);
        Assert.Equal(["CHILDREN", "STATUS"], list.ReturnOptions);
        Assert.Equal(["MESSAGES", "UNSEEN"], list.StatusItems);
        Assert.True(Assert.IsType<ListCommand>(Parse("a LSUB \"\" *")).Lsub);
    }

    [Fact]
    public void AppendParsesFlagsDateAndTheMessageLiteral()
    {
        var append = Assert.Single(Assert.IsType<AppendCommand>(Parse("a APPEND Drafts (\\Draft) \"05-Mar-2025 08:09:10 +0100\" {5+}\r\nHello")).Messages);
        Assert.Equal(["\\Draft"], append.Flags);
        Assert.Equal(new DateTimeOffset(2025, 3, 5, 8, 9, 10, TimeSpan.FromHours(1)), append.InternalDate);
        Assert.Equal("Hello", Encoding.ASCII.GetString(append.Message.Span));
    }

    [Theory]
    [InlineData("a1", "Expected a space")]
    [InlineData("a1 NOOP x", "Unexpected characters at end of command")]
    [InlineData("a1 FETCH 0 FLAGS", "Expected a non-zero number")]
    [InlineData("a1 FETCH 1 (FLAGS", "Expected ')'")]
    [InlineData("a1 FETCH 1 BODY[4.XYZ]", "Unknown section XYZ")]
    [InlineData("a1 LOGIN {10}\r\nabc", "Literal shorter than announced")]
    [InlineData("a1 SEARCH BEFORE 31-Feb-2024", "Invalid date 31-Feb-2024")]
    [InlineData("a1 STORE 1 FLAGZ (\\Seen)", "Unknown STORE item FLAGZ")]
    [InlineData("a1 FETCH 1,$ FLAGS", "\"$\" is a sequence set on its own")]
    [InlineData("a1 FETCH 1 FLAGS (VANISHED)", "VANISHED needs CHANGEDSINCE")]
    public void BadSyntaxGivesAReason(string command, string reason) => Assert.Equal(reason, Error(command));

    [Fact]
    public void NestingIsBounded()
    {
        Assert.Equal("Nesting deeper than 8", Error("a SEARCH " + new string('(', 20) + "ALL" + new string(')', 20)));
        Assert.Equal("Nesting deeper than 8", Error("a SEARCH " + string.Concat(Enumerable.Repeat("NOT ", 20)) + "ALL"));
    }

    [Fact]
    public void SequenceSetsResolveStarAndReversedRanges()
    {
        var set = Assert.IsType<FetchCommand>(Parse("a FETCH 5:2,*,9 FLAGS")).Set;
        Assert.True(set.Contains(3, 20));
        Assert.True(set.Contains(20, 20));
        Assert.False(set.Contains(7, 20));
        Assert.Equal("1:3,5,7:8", SequenceSet.Format([1, 2, 3, 5, 7, 8]));
    }

    [Fact]
    public void SequenceNumbersGoUpTo4294967295AndStarStandsAnywhere()
    {
        var set = Assert.IsType<FetchCommand>(Parse("a UID FETCH 4294967295,*:7,1:* FLAGS")).Set;
        Assert.Equal("4294967295,*:7,1:*", set.ToString());
        Assert.True(set.Contains(4294967295, 10));
        Assert.True(set.Contains(8, 10));
        Assert.Equal("Number too large", Error("a UID FETCH 4294967296 FLAGS"));
    }

    [Fact]
    public void ATildeStartsALiteral8OnlyBeforeABrace()
    {
        Assert.Equal("~foo", Assert.IsType<SelectCommand>(Parse("a SELECT ~foo")).Mailbox);
        Assert.Equal("!#$&'+,-.:;<=>?@^_`|[}", Assert.IsType<SelectCommand>(Parse("a SELECT !#$&'+,-.:;<=>?@^_`|[}")).Mailbox);
        var append = Assert.IsType<AppendCommand>(Parse("a APPEND ~box ~{3}\r\nx\0y"));
        Assert.Equal("~box", append.Mailbox);
        Assert.True(append.Messages[0].Binary);
        Assert.False(Assert.IsType<AppendCommand>(Parse("a APPEND box {1}\r\nx")).Messages[0].Binary);
    }

    [Fact]
    public void AppendTakesSeveralMessagesAndCatenateParts()
    {
        var multi = Assert.IsType<AppendCommand>(Parse("a APPEND box (\\Seen) {1+}\r\nx {2+}\r\nyz"));
        Assert.Equal(2, multi.Messages.Count);
        Assert.Equal(["\\Seen"], multi.Messages[0].Flags);
        Assert.Empty(multi.Messages[1].Flags);
        Assert.Equal("yz", Encoding.ASCII.GetString(multi.Messages[1].Message.Span));
        var catenate = Assert.Single(Assert.IsType<AppendCommand>(Parse("a APPEND box CATENATE (URL \"/INBOX/;UID=3\" TEXT {2+}\r\nhi)")).Messages);
        Assert.Equal("/INBOX/;UID=3", catenate.Catenate![0].Url);
        Assert.Equal("hi", Encoding.ASCII.GetString(catenate.Catenate[1].Text.Span));
        Assert.False(ImapCommandParser.TryParse(Encoding.ASCII.GetBytes("a APPEND box CATENATE ()\r\n"), 8, out _, out _, out _));
        Assert.False(ImapCommandParser.TryParse(Encoding.ASCII.GetBytes("a APPEND box CATENATE (TEXT \"hi\")\r\n"), 8, out _, out _, out _));
    }

    [Fact]
    public void ImapUrlsNameAMessageAndItsSection()
    {
        Assert.True(ImapUrl.TryParse("/INBOX;UIDVALIDITY=7/;UID=20/;SECTION=1.2.HEADER/;PARTIAL=0.10", out var url));
        Assert.Equal(("INBOX", 7L, 20L, "1.2.HEADER", 0L, 10L), (url.Mailbox, url.UidValidity, url.Uid, url.Section!.Spec, url.PartialStart, url.PartialLength));
        Assert.True(ImapUrl.TryParse("imap://bob%40example.test@mail.example.test/Sent%20Items/;uid=3", out url));
        Assert.Equal(("bob@example.test", "Sent Items", 3L), (url.User, url.Mailbox, url.Uid));
        Assert.False(ImapUrl.TryParse("/INBOX/;UID=3/;URLAUTH=anonymous:internal:abc", out _));
        Assert.False(ImapUrl.TryParse("/INBOX", out _));
        Assert.False(ImapUrl.TryParse("/INBOX/;UID=0", out _));
        Assert.False(ImapUrl.TryParse("http://example.test/INBOX/;UID=1", out _));
    }

    [Fact]
    public void DollarIsTheSavedResultAndSaveIsAReturnOption()
    {
        Assert.True(Assert.IsType<FetchCommand>(Parse("a FETCH $ FLAGS")).Set.IsSavedResult);
        Assert.True(Assert.IsType<SearchCommand>(Parse("a UID SEARCH UID $")).Criteria.Set!.IsSavedResult);
        Assert.Equal(SearchReturn.Save | SearchReturn.Min, Assert.IsType<SearchCommand>(Parse("a SEARCH RETURN (SAVE MIN) ALL")).Return);
        Assert.Equal("$", Assert.IsType<CopyCommand>(Parse("a MOVE $ Trash")).Set.ToString());
    }

    [Fact]
    public void NewAndOldAreBuiltFromRecent()
    {
        var criteria = Assert.IsType<SearchCommand>(Parse("a SEARCH NEW OLD")).Criteria;
        Assert.Equal([SearchKeyKind.And, SearchKeyKind.Not], criteria.Children.Select(c => c.Kind));
        Assert.Equal([SearchKeyKind.Recent, SearchKeyKind.NoFlag], criteria.Children[0].Children.Select(c => c.Kind));
        Assert.Equal(SearchKeyKind.Recent, criteria.Children[1].Children[0].Kind);
        Assert.Equal(SearchKeyKind.Address, Assert.IsType<SearchCommand>(Parse("a SEARCH CC x")).Criteria.Kind);
    }

    [Fact]
    public void TheParserNeverThrowsOnRandomInput()
    {
        var random = new Random(9051);
        var pieces = new[] { "a1", " ", "FETCH", "UID", "SEARCH", "(", ")", "[", "]", "<", ">", "{3}\r\n", "{2+}\r\n", "\"", "\\", "*", ":", ",", "1", "0", "NIL", "BODY", ".PEEK", "HEADER.FIELDS", "OR", "NOT", "APPEND", "~{1}\r\n", "\r\n", "\u00e9", "\0" };
        for (var i = 0; i < 20_000; i++)
        {
            var builder = new StringBuilder();
            var count = random.Next(1, 25);
            for (var j = 0; j < count; j++) builder.Append(pieces[random.Next(pieces.Length)]);
            var bytes = Encoding.UTF8.GetBytes(builder.ToString());
            ImapCommandParser.TryParse(bytes, 4, out _, out _, out _);
        }
    }
}
