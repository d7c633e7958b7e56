using System.Buffers;
using System.Text;
using Mail.Frontends.Imap.Mime;
using Mail.Frontends.Imap.Protocol;

namespace Mail.Protocol.Tests.Imap;

public sealed class MessageStructureTests
{
    private const string Mixed =
        "From: =?utf-8?q?J=C3=BCrgen?= <j@example.test>\r\n" +
        "To: a@example.test, Team: b@example.test, c@example.test;\r\n" +
        "Subject: =?utf-8?b?R3LDvMOfZQ==?=\r\n" +
        "Date: Tue, 4 Feb 2025 09:00:00 +0100\r\n" +
        "Message-ID: <m1@example.test>\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: multipart/mixed; boundary=\"outer\"\r\n" +
        "\r\n" +
        "preamble\r\n" +
        "--outer\r\n" +
        "Content-Type: multipart/alternative; boundary=inner\r\n" +
        "\r\n" +
        "--inner\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Content-Transfer-Encoding: quoted-printable\r\n" +
        "\r\n" +
        "Gr=C3=BC=C3=9Fe\r\n" +
        "two lines\r\n" +
        "--inner\r\n" +
        "Content-Type: text/html; charset=utf-8\r\n" +
        "\r\n" +
        "<p>Hi</p>\r\n" +
        "--inner--\r\n" +
        "--outer\r\n" +
        "Content-Type: application/pdf; name=\"report.pdf\"\r\n" +
        "Content-Disposition: attachment; filename=\"report.pdf\"\r\n" +
        "Content-Transfer-Encoding: base64\r\n" +
        "Content-ID: <pdf@example.test>\r\n" +
        "\r\n" +
        "SGVsbG8gUERG\r\n" +
        "--outer\r\n" +
        "Content-Type: message/rfc822\r\n" +
        "\r\n" +
        "From: inner@example.test\r\n" +
        "Subject: Forwarded\r\n" +
        "\r\n" +
        "Inner body\r\n" +
        "--outer--\r\n" +
        "epilogue\r\n";

    private static byte[] Bytes => Encoding.ASCII.GetBytes(Mixed);

    private static string Structure(bool extensible, bool utf8 = false)
    {
        var bytes = Bytes;
        var root = MimeStructure.Parse(bytes);
        var buffer = new ArrayBufferWriter<byte>();
        BodyStructureWriter.Write(new ImapWriter(buffer, utf8), bytes, root, extensible, utf8);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void BodyStructureOfMixedWithAlternativeAttachmentAndForwardedMessage() => Assert.Equal(
        "((" +
        "(\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 26 2 NIL NIL NIL NIL)" +
        "(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"7BIT\" 9 1 NIL NIL NIL NIL)" +
        " \"alternative\" (\"boundary\" \"inner\") NIL NIL NIL)" +
        "(\"application\" \"pdf\" (\"name\" \"report.pdf\") \"<pdf@example.test>\" NIL \"base64\" 12 NIL (\"attachment\" (\"filename\" \"report.pdf\")) NIL NIL)" +
        "(\"message\" \"rfc822\" NIL NIL NIL \"7BIT\" 58 (NIL \"Forwarded\" ((NIL NIL \"inner\" \"example.test\")) ((NIL NIL \"inner\" \"example.test\")) ((NIL NIL \"inner\" \"example.test\")) NIL NIL NIL NIL NIL)" +
        " (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7BIT\" 10 1 NIL NIL NIL NIL) 4 NIL NIL NIL NIL)" +
        " \"mixed\" (\"boundary\" \"outer\") NIL NIL NIL)",
        Structure(extensible: true));

    [Fact]
    public void BodyWithoutExtensionData() => Assert.StartsWith(
        "(((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 26 2)(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"7BIT\" 9 1) \"alternative\")",
        Structure(extensible: false));

    [Fact]
    public void EnvelopeKeepsEncodedWordsAndListsGroups()
    {
        var bytes = Bytes;
        var root = MimeStructure.Parse(bytes);
        var buffer = new ArrayBufferWriter<byte>();
        EnvelopeWriter.Write(new ImapWriter(buffer, false), bytes, root, utf8: false);
        Assert.Equal(
            "(\"Tue, 4 Feb 2025 09:00:00 +0100\" \"=?utf-8?b?R3LDvMOfZQ==?=\" ((\"=?utf-8?b?SsO8cmdlbg==?=\" NIL \"j\" \"example.test\"))" +
            " ((\"=?utf-8?b?SsO8cmdlbg==?=\" NIL \"j\" \"example.test\")) ((\"=?utf-8?b?SsO8cmdlbg==?=\" NIL \"j\" \"example.test\"))" +
            " ((NIL NIL \"a\" \"example.test\")(NIL NIL \"Team\" NIL)(NIL NIL \"b\" \"example.test\")(NIL NIL \"c\" \"example.test\")(NIL NIL NIL NIL))" +
            " NIL NIL NIL \"<m1@example.test>\")",
            Encoding.UTF8.GetString(buffer.WrittenSpan));
        var utf8 = new ArrayBufferWriter<byte>();
        EnvelopeWriter.Write(new ImapWriter(utf8, true), bytes, root, utf8: true);
        Assert.Contains("((\"J\u00fcrgen\" NIL \"j\" \"example.test\"))", Encoding.UTF8.GetString(utf8.WrittenSpan));
    }

    [Theory]
    [InlineData("", SectionKind.Header, "From: =?utf-8?q?J=C3=BCrgen?=")]
    [InlineData("1.1", SectionKind.All, "Gr=C3=BC=C3=9Fe\r\ntwo lines")]
    [InlineData("1.2", SectionKind.Mime, "Content-Type: text/html; charset=utf-8\r\n\r\n")]
    [InlineData("2", SectionKind.All, "SGVsbG8gUERG")]
    [InlineData("3", SectionKind.All, "From: inner@example.test\r\nSubject: Forwarded\r\n\r\nInner body")]
    [InlineData("3", SectionKind.Header, "From: inner@example.test\r\nSubject: Forwarded\r\n\r\n")]
    [InlineData("3", SectionKind.Text, "Inner body")]
    [InlineData("3.1", SectionKind.All, "Inner body")]
    public void SectionsCutTheExactOctets(string part, SectionKind kind, string expected)
    {
        var bytes = Bytes;
        var section = new BodySection(part.Length == 0 ? [] : part.Split('.').Select(int.Parse).ToArray(), kind, [], null, null);
        var data = SectionReader.Read(bytes, MimeStructure.Parse(bytes), section);
        Assert.NotNull(data);
        var text = Encoding.ASCII.GetString(data.Value.Span);
        if (kind == SectionKind.Header && part.Length == 0) Assert.StartsWith(expected, text);
        else Assert.Equal(expected, text);
    }

    [Fact]
    public void HeaderFieldsSelectAndExcludeFields()
    {
        var bytes = Bytes;
        var root = MimeStructure.Parse(bytes);
        var only = SectionReader.Read(bytes, root, new BodySection([], SectionKind.HeaderFields, ["subject", "MESSAGE-ID"], null, null))!.Value;
        Assert.Equal("Subject: =?utf-8?b?R3LDvMOfZQ==?=\r\nMessage-ID: <m1@example.test>\r\n\r\n", Encoding.ASCII.GetString(only.Span));
        var not = SectionReader.Read(bytes, root, new BodySection([], SectionKind.HeaderFieldsNot, ["From", "To", "Content-Type", "MIME-Version"], null, null))!.Value;
        Assert.Equal("Subject: =?utf-8?b?R3LDvMOfZQ==?=\r\nDate: Tue, 4 Feb 2025 09:00:00 +0100\r\nMessage-ID: <m1@example.test>\r\n\r\n", Encoding.ASCII.GetString(not.Span));
    }

    [Fact]
    public void BinaryDecodesTransferEncodingsAndMissingPartsAreNull()
    {
        var bytes = Bytes;
        var root = MimeStructure.Parse(bytes);
        Assert.Equal("Hello PDF", Encoding.ASCII.GetString(SectionReader.ReadBinary(bytes, root, new BodySection([2], SectionKind.All, [], null, null))!.Value.Span));
        Assert.Equal("Gr\u00fc\u00dfe\r\ntwo lines", Encoding.UTF8.GetString(SectionReader.ReadBinary(bytes, root, new BodySection([1, 1], SectionKind.All, [], null, null))!.Value.Span));
        Assert.Null(SectionReader.Read(bytes, root, new BodySection([9], SectionKind.All, [], null, null)));
        Assert.Null(SectionReader.Read(bytes, root, new BodySection([2, 1], SectionKind.All, [], null, null)));
    }

    [Fact]
    public void PartialsClipToTheContent()
    {
        var section = new BodySection([], SectionKind.All, [], 3, 100);
        Assert.Equal("lo", Encoding.ASCII.GetString(SectionReader.Partial("Hello"u8.ToArray(), section).Span));
        Assert.Equal(0, SectionReader.Partial("Hi"u8.ToArray(), section).Length);
    }

    [Fact]
    public void AMessageWithoutBlankLineOrContentTypeIsTextPlain()
    {
        var bytes = Encoding.ASCII.GetBytes("Subject: x\r\n");
        var root = MimeStructure.Parse(bytes);
        Assert.Equal(bytes.Length, root.BodyStart);
        Assert.Equal("plain", root.ContentType.MediaSubtype);
    }
}
