using System.Buffers;
using System.Text;
using Mail.Frontends.Imap.Session;

namespace Mail.Protocol.Tests.Imap;

/// <summary>Which literals a session streams into the blob store: large APPEND messages, not CATENATE parts nor other commands' literals.</summary>
public sealed class AppendLiteralRuleTests
{
    private const long Large = AppendLiteralRule.Threshold;

    private static bool Streams(string earlier, string line, long size) =>
        AppendLiteralRule.Streams(Encoding.ASCII.GetBytes(earlier), new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(line)), size);

    [Theory]
    [InlineData("", "a1 APPEND INBOX {65536}", true)]
    [InlineData("", "a-very-long-tag-of-forty-characters-xxxxxx append Drafts (\\Draft) \"01-Jan-2025 00:00:00 +0000\" {65536+}", true)]
    [InlineData("", "a1 APPEND INBOX ~{65536}", false)]
    [InlineData("a1 APPEND INBOX {10}\r\n0123456789", " (\\Seen) {65536}", true)]
    [InlineData("", "a1 APPEND INBOX CATENATE (TEXT {65536}", false)]
    [InlineData("a1 APPEND INBOX CATENATE (URL \"/INBOX;UID=1\"", " TEXT {65536+}", false)]
    [InlineData("", "a1 LOGIN user {65536}", false)]
    [InlineData("", "a1 SEARCH TEXT {65536}", false)]
    public void LargeAppendMessagesAreStreamedAndNothingElse(string earlier, string line, bool streamed)
    {
        Assert.Equal(streamed, Streams(earlier, line, Large));
    }

    [Fact]
    public void ASmallAppendStaysInTheCommand()
    {
        Assert.False(Streams("", "a1 APPEND INBOX {65535}", Large - 1));
    }
}
