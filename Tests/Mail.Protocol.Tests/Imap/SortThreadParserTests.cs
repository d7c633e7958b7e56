using System.Text;
using Mail.Frontends.Imap.Protocol;
using Mail.Mime;

namespace Mail.Protocol.Tests.Imap;

public sealed class SortThreadParserTests
{
    private static ImapCommand Parse(string command)
    {
        Assert.True(ImapCommandParser.TryParse(Encoding.UTF8.GetBytes(command + "\r\n"), 8, out var parsed, out _, out var error), error);
        return parsed!;
    }

    private static void Fails(string command) =>
        Assert.False(ImapCommandParser.TryParse(Encoding.UTF8.GetBytes(command + "\r\n"), 8, out _, out _, out _));

    [Fact]
    public void SortParsesCriteriaReverseCharsetAndKeys()
    {
        var sort = Assert.IsType<SortCommand>(Parse("a sort (REVERSE arrival Subject reverse SIZE cc DATE FROM TO) UTF-8 UNSEEN SINCE 1-Feb-2024"));
        Assert.False(sort.Uid);
        Assert.Equal("UTF-8", sort.Charset);
        Assert.Equal(
            [new(SortKey.Arrival, true), new(SortKey.Subject, false), new(SortKey.Size, true), new(SortKey.Cc, false),
             new(SortKey.Date, false), new(SortKey.From, false), new(SortKey.To, false)],
            sort.Criteria);
        Assert.Equal(SearchKeyKind.And, sort.Search.Kind);
        Assert.Equal([SearchKeyKind.NoFlag, SearchKeyKind.Since], sort.Search.Children.Select(c => c.Kind));
        var uid = Assert.IsType<SortCommand>(Parse("a UID SORT (DATE) \"US-ASCII\" ALL"));
        Assert.True(uid.Uid);
        Assert.Equal("US-ASCII", uid.Charset);
        Assert.Equal(SearchKeyKind.All, uid.Search.Kind);
    }

    [Theory]
    [InlineData("a SORT () UTF-8 ALL")]
    [InlineData("a SORT (REVERSE) UTF-8 ALL")]
    [InlineData("a SORT (REVERSE REVERSE DATE) UTF-8 ALL")]
    [InlineData("a SORT (COLOR) UTF-8 ALL")]
    [InlineData("a SORT (DATE) UTF-8")]
    [InlineData("a SORT DATE UTF-8 ALL")]
    [InlineData("a THREAD BYCOLOR UTF-8 ALL")]
    [InlineData("a THREAD REFERENCES UTF-8")]
    public void MalformedSortAndThreadAreRejected(string command) => Fails(command);

    [Fact]
    public void ThreadParsesAlgorithmCharsetAndKeys()
    {
        var thread = Assert.IsType<ThreadCommand>(Parse("a THREAD orderedsubject UTF-8 ALL"));
        Assert.Equal(ThreadAlgorithm.OrderedSubject, thread.Algorithm);
        Assert.False(thread.Uid);
        var uid = Assert.IsType<ThreadCommand>(Parse("a UID THREAD REFERENCES US-ASCII OR SEEN 1:3"));
        Assert.Equal(ThreadAlgorithm.References, uid.Algorithm);
        Assert.True(uid.Uid);
        Assert.Equal("US-ASCII", uid.Charset);
        Assert.Equal(SearchKeyKind.Or, uid.Search.Kind);
    }

    [Theory]
    [InlineData("Hello", "Hello")]
    [InlineData("Re: Hello", "Hello")]
    [InlineData("RE: re: Fwd: Hello", "Hello")]
    [InlineData("Re[2]: Hello", "Hello")]
    [InlineData("Fw:Hello", "Hello")]
    [InlineData("[list] Re: Hello", "Hello")]
    [InlineData("Re: [list] Hello", "Hello")]
    [InlineData("[list]", "[list]")]
    [InlineData("Hello (fwd)", "Hello")]
    [InlineData("Hello (FWD)  (fwd) ", "Hello")]
    [InlineData("[Fwd: Re: Hello (fwd)]", "Hello")]
    [InlineData("  Hello \t  world  ", "Hello world")]
    [InlineData("Re: ", "")]
    [InlineData("", "")]
    [InlineData("Reply: Hello", "Reply: Hello")]
    [InlineData("Rename it", "Rename it")]
    public void BaseSubjectStripsLeadersBlobsAndTrailers(string subject, string expected) => Assert.Equal(expected, BaseSubject.Of(subject));

    [Fact]
    public void BaseSubjectKeyFoldsAsciiCaseOnly()
    {
        Assert.Equal("HELLO", BaseSubject.Key("re: hello"));
        Assert.Equal(BaseSubject.Key("Re: HeLLo"), BaseSubject.Key("FWD: hello (fwd)"));
        Assert.Equal("ÉTé", BaseSubject.Key("Été"));
        Assert.NotEqual(BaseSubject.Key("été"), BaseSubject.Key("ÉTÉ"));
    }
}
