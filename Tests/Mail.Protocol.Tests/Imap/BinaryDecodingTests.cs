using System.Text;
using Mail.Frontends.Imap.Mime;
using MimeKit;

namespace Mail.Protocol.Tests.Imap;

/// <summary>Quoted-printable decoding for BINARY (RFC 2045 §6.7) and the base64 encoding of binary parts of a literal8 APPEND (RFC 3516 §4.4).</summary>
public sealed class BinaryDecodingTests
{
    [Theory]
    [InlineData("hello  \r\n", "hello\r\n")]
    [InlineData("bar=\r\n\r\n", "bar\r\n")]
    [InlineData("foo\t \t= \r\n=62\r\n", "foo\t \tb\r\n")]
    [InlineData("foo = \t\r\nbar", "foo bar")]
    [InlineData("a=3D=3d=\r\nb", "a==b")]
    [InlineData("bad =ZZ and =4", "bad =ZZ and =4")]
    [InlineData("lf only\nnext\n", "lf only\r\nnext\r\n")]
    [InlineData("", "")]
    public void QuotedPrintableFollowsRfc2045(string encoded, string decoded) =>
        Assert.Equal(decoded, Encoding.Latin1.GetString(QuotedPrintable.Decode(Encoding.Latin1.GetBytes(encoded))));

    [Fact]
    public void BinaryPartsOfALiteral8AreStoredBase64AndDecodeToTheSameOctets()
    {
        byte[] body = [0, 1, 2, 0xFF, (byte)'\n'];
        var message = "From: a@example.test\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n"u8.ToArray().Concat(body).ToArray();
        var encoded = BinaryAppend.Encode(message);
        Assert.NotNull(encoded);
        Assert.DoesNotContain((byte)0, encoded);
        var part = Assert.IsType<MimePart>(MimeMessage.Load(new MemoryStream(encoded)).Body);
        Assert.Equal(ContentEncoding.Base64, part.ContentTransferEncoding);
        using var decoded = new MemoryStream();
        part.Content!.DecodeTo(decoded);
        Assert.Equal(body, decoded.ToArray());
        Assert.StartsWith("From: a@example.test\r\n", Encoding.ASCII.GetString(encoded));
    }

    [Fact]
    public void AMessageWithoutBinaryPartsIsLeftAlone() =>
        Assert.Null(BinaryAppend.Encode("From: a@example.test\r\nSubject: text\r\n\r\nplain text\r\n"u8.ToArray()));
}
