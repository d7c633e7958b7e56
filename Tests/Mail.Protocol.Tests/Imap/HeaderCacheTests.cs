using System.Buffers;
using System.Text;
using Mail.Frontends.Imap.Mime;
using Mail.Frontends.Imap.Protocol;
using Mail.Mime;

namespace Mail.Protocol.Tests.Imap;

public sealed class HeaderCacheTests
{
    private const string Header =
        "Return-Path: <a@example.test>\r\n" +
        "Received: from x by y;\r\n Mon, 03 Feb 2025 09:59:00 +0000\r\n" +
        "subject: First\r\n\tcontinued\r\n" +
        "X-Spam: no\r\n" +
        "From: A <a@example.test>\r\n" +
        "Sender: S <s@example.test>\r\n" +
        "Reply-To: R <r@example.test>\r\n" +
        "To: b@example.test, Team: c@example.test;\r\n" +
        "Cc: =?utf-8?q?J=C3=BCrgen?= <j@example.test>\r\n" +
        "Bcc: hidden@example.test\r\n" +
        "Date: Tue, 4 Feb 2025 09:00:00 +0100\r\n" +
        "Subject: Second subject field\r\n" +
        "In-Reply-To: <p@example.test>\r\n" +
        "Message-ID: <m@example.test>\r\n" +
        "DKIM-Signature: v=1;\r\n b=abc\r\n";

    [Fact]
    public void KeepsListingFieldsInOrderWithTheirFoldingAndEndsWithTheEmptyLine()
    {
        var cached = Encoding.ASCII.GetString(HeaderCache.Extract(Encoding.ASCII.GetBytes(Header + "\r\nbody\r\n"))!);
        Assert.Equal(
            "subject: First\r\n\tcontinued\r\n" +
            "From: A <a@example.test>\r\nSender: S <s@example.test>\r\nReply-To: R <r@example.test>\r\n" +
            "To: b@example.test, Team: c@example.test;\r\nCc: =?utf-8?q?J=C3=BCrgen?= <j@example.test>\r\n" +
            "Bcc: hidden@example.test\r\nDate: Tue, 4 Feb 2025 09:00:00 +0100\r\nSubject: Second subject field\r\n" +
            "In-Reply-To: <p@example.test>\r\nMessage-ID: <m@example.test>\r\n\r\n",
            cached);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    public void EnvelopeFromTheCacheEqualsEnvelopeFromTheWholeMessage(string newline)
    {
        var message = Encoding.ASCII.GetBytes((Header + "\r\nbody\r\n").Replace("\r\n", newline));
        var cached = HeaderCache.Extract(message)!;
        Assert.Equal(Envelope(message), Envelope(cached));
    }

    [Fact]
    public void NothingWhenTheHeaderDoesNotEndWithinTheOctetsGiven() =>
        Assert.Null(HeaderCache.Extract(Encoding.ASCII.GetBytes(Header)));

    [Fact]
    public void NothingWhenTheCachedFieldsAreTooLong()
    {
        var longTo = "To: " + string.Join(", ", Enumerable.Range(0, 500).Select(i => $"user{i}@example.test")) + "\r\n";
        Assert.True(longTo.Length > HeaderCache.MaxBytes);
        Assert.Null(HeaderCache.Extract(Encoding.ASCII.GetBytes(longTo + "\r\nbody")));
        Assert.NotNull(HeaderCache.Extract(Encoding.ASCII.GetBytes("X-Long: " + new string('x', 20_000) + "\r\nSubject: s\r\n\r\nbody")));
    }

    [Fact]
    public void AMessageWithoutListingFieldsCachesTheEmptyLineOnly() =>
        Assert.Equal("\r\n"u8.ToArray(), HeaderCache.Extract("X-Only: 1\r\n\r\nbody"u8));

    [Fact]
    public void CoversOnlyCachedFieldNamesIgnoringCase()
    {
        Assert.True(HeaderCache.Covers(["SUBJECT", "from", "Message-Id", "References"]));
        Assert.False(HeaderCache.Covers(["Subject", "X-Custom"]));
    }

    private static string Envelope(byte[] bytes)
    {
        var buffer = new ArrayBufferWriter<byte>();
        EnvelopeWriter.Write(new ImapWriter(buffer, false), bytes, MimeStructure.Parse(bytes), utf8: false);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
