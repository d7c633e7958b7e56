using System.Buffers;
using System.Text;
using Mail.Frontends.Pop3.Protocol;

namespace Mail.Protocol.Tests.Pop3;

/// <summary>Command parsing (RFC 1939 §3): a 3-4 letter case-insensitive keyword, arguments after single spaces.</summary>
public sealed class Pop3CommandTests
{
    [Theory]
    [InlineData("STAT", "STAT", "")]
    [InlineData("stat", "STAT", "")]
    [InlineData("Top 1 10", "TOP", "1 10")]
    [InlineData("LIST 2", "LIST", "2")]
    [InlineData("USER alice@example.test", "USER", "alice@example.test")]
    public void KeywordIsUpperCasedAndTheRestIsTheArgument(string line, string keyword, string argument)
    {
        var command = Parse(line);

        Assert.Equal(keyword, command.Keyword);
        Assert.Equal(argument, command.Argument);
    }

    [Fact]
    public void ArgumentsAreSplitAtSingleSpaces()
    {
        Assert.Equal(["1", "10"], Parse("TOP 1 10").Arguments);
        Assert.Empty(Parse("LIST").Arguments);
    }

    [Fact]
    public void DoubledSpaceYieldsAnEmptyArgumentForTheHandlerToRefuse()
    {
        Assert.Equal(["", "1"], Parse("LIST  1").Arguments);
        Assert.Equal(["1", ""], Parse("LIST 1 ").Arguments);
    }

    [Fact]
    public void PassKeepsSpacesAndNonAsciiInItsArgument()
    {
        var command = Parse("PASS  correct horse été ");

        Assert.Equal("PASS", command.Keyword);
        Assert.Equal(" correct horse été ", command.Argument);
    }

    [Theory]
    [InlineData("", "empty command")]
    [InlineData("NO", "malformed command")]
    [InlineData("NOOPS", "malformed command")]
    [InlineData("RET1 1", "malformed command")]
    [InlineData(" STAT", "malformed command")]
    [InlineData("X-UI 1", "malformed command")]
    [InlineData("LIST\t1", "control characters in command")]
    [InlineData("PASS a\0b", "control characters in command")]
    [InlineData("NOOP\r", "control characters in command")]
    public void MalformedLinesAreRefusedWithAReason(string line, string reason)
    {
        Assert.False(Pop3Command.TryParse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(line)), out var command, out var error));
        Assert.Null(command);
        Assert.Equal(reason, error);
    }

    [Fact]
    public void InvalidUtf8IsDecodedWithReplacementCharactersNotRefused()
    {
        Assert.True(Pop3Command.TryParse(new ReadOnlySequence<byte>([.. "PASS "u8, 0xFF, 0xFE]), out var command, out _));
        Assert.Equal("\uFFFD\uFFFD", command.Argument);
    }

    private static Pop3Command Parse(string line)
    {
        Assert.True(Pop3Command.TryParse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(line)), out var command, out var error), error);
        return command;
    }
}
