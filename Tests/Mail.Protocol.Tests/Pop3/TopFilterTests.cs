using System.Text;
using Mail.Frontends.Pop3.Protocol;

namespace Mail.Protocol.Tests.Pop3;

/// <summary>TOP msg n (RFC 1939 §7): header, blank line, then the first n body lines.</summary>
public sealed class TopFilterTests
{
    private const string Message = "From: a@b.example\r\nSubject: s\r\n\r\nline 1\r\nline 2\r\nline 3\r\n";

    [Fact]
    public void ZeroLinesIsTheHeaderAndTheBlankLine()
    {
        Assert.Equal("From: a@b.example\r\nSubject: s\r\n\r\n", Top(Message, 0));
    }

    [Theory]
    [InlineData(1, "line 1\r\n")]
    [InlineData(2, "line 1\r\nline 2\r\n")]
    [InlineData(3, "line 1\r\nline 2\r\nline 3\r\n")]
    [InlineData(100, "line 1\r\nline 2\r\nline 3\r\n")]
    public void BodyIsCutAfterNLines(int lines, string body)
    {
        Assert.Equal("From: a@b.example\r\nSubject: s\r\n\r\n" + body, Top(Message, lines));
    }

    [Fact]
    public void DoneIsSetOnlyWhenTheCutIsReached()
    {
        var filter = new TopFilter(1);
        var bytes = Encoding.ASCII.GetBytes(Message);
        var taken = filter.Take(bytes);

        Assert.True(filter.Done);
        Assert.Equal(0, filter.Take(bytes));
        Assert.Equal("From: a@b.example\r\nSubject: s\r\n\r\nline 1\r\n".Length, taken);

        var all = new TopFilter(100);
        all.Take(bytes);
        Assert.False(all.Done);
    }

    [Fact]
    public void BareLfLinesAreCountedToo()
    {
        Assert.Equal("S: x\n\nbody 1\n", Top("S: x\n\nbody 1\nbody 2\n", 1));
    }

    [Fact]
    public void MessageWithoutABlankLineIsAllHeader()
    {
        Assert.Equal("Subject: only\r\nX: y\r\n", Top("Subject: only\r\nX: y\r\n", 0));
    }

    [Fact]
    public void LastBodyLineWithoutLineEndIsKept()
    {
        Assert.Equal("S: x\r\n\r\nend", Top("S: x\r\n\r\nend", 5));
    }

    [Fact]
    public void MessageThatStartsWithABlankLineHasAnEmptyHeader()
    {
        Assert.Equal("\r\nfirst\r\n", Top("\r\nfirst\r\nsecond\r\n", 1));
    }

    [Fact]
    public void ByteAtATimeGivesTheSameCut()
    {
        var bytes = Encoding.ASCII.GetBytes(Message);
        var filter = new TopFilter(2);
        var kept = new List<byte>();
        foreach (var b in bytes)
        {
            if (filter.Take([b]) == 1) kept.Add(b);
        }

        Assert.Equal(Top(Message, 2), Encoding.ASCII.GetString(kept.ToArray()));
    }

    private static string Top(string message, int lines)
    {
        var bytes = Encoding.ASCII.GetBytes(message);
        return Encoding.ASCII.GetString(bytes, 0, new TopFilter(lines).Take(bytes));
    }
}
