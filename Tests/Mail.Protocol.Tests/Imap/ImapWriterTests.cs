using System.Buffers;
using System.Text;
using Mail.Frontends.Imap.Protocol;

namespace Mail.Protocol.Tests.Imap;

public sealed class ImapWriterTests
{
    private static string Write(Action<ImapWriter> write, bool utf8 = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new ImapWriter(buffer, utf8));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void ListsSeparateItemsWithSingleSpaces() =>
        Assert.Equal("(UID 5 FLAGS (\\Seen $x) NIL \"a b\")", Write(w => w.Open().Atom("UID").Number(5).Atom("FLAGS").Open().Atom("\\Seen").Atom("$x").Close().Nil().String("a b").Close()));

    [Fact]
    public void QuotedStringsEscapeQuotesAndBackslashes() => Assert.Equal("\"a\\\"b\\\\c\"", Write(w => w.String("a\"b\\c")));

    [Fact]
    public void TextWithLineBreaksOrEightBitGoesAsALiteralInImap4rev1()
    {
        Assert.Equal("{4}\r\na\r\nb", Write(w => w.String("a\r\nb")));
        Assert.Equal("{2}\r\n\u00e9", Write(w => w.String("\u00e9")));
        Assert.Equal("\"\u00e9\"", Write(w => w.String("\u00e9"), utf8: true));
    }

    [Fact]
    public void AStringsAreAtomsWhenPossible()
    {
        Assert.Equal("INBOX", Write(w => w.AString("INBOX")));
        Assert.Equal("\"My Folder\"", Write(w => w.AString("My Folder")));
        Assert.Equal("\"NIL\"", Write(w => w.AString("NIL")));
    }

    [Fact]
    public void BinaryWithNulGoesAsLiteral8() => Assert.Equal("~{3}\r\na\0b", Write(w => w.Literal8("a\0b"u8)));

    [Theory]
    [InlineData("Entw\u00fcrfe", "Entw&APw-rfe")]
    [InlineData("A&B", "A&-B")]
    [InlineData("\u65e5\u672c\u8a9e", "&ZeVnLIqe-")]
    public void MailboxNamesRoundTripThroughModifiedUtf7(string name, string wire)
    {
        Assert.Equal(wire, MailboxNameCodec.EncodeUtf7(name));
        Assert.Equal(name, MailboxNameCodec.DecodeUtf7(wire));
    }

    [Fact]
    public void DatesFormatAndParse()
    {
        Assert.Equal("05-Mar-2025 08:09:10 -0130", ImapDate.FormatDateTime(new DateTimeOffset(2025, 3, 5, 8, 9, 10, TimeSpan.FromMinutes(-90))));
        Assert.True(ImapDate.TryParseDateTime(" 5-Mar-2025 08:09:10 +0000", out var parsed));
        Assert.Equal(new DateTimeOffset(2025, 3, 5, 8, 9, 10, TimeSpan.Zero), parsed);
        Assert.False(ImapDate.TryParseDate("1-Foo-2024", out _));
    }
}
