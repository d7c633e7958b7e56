using System.Text;
using Mail.Frontends.Tests.Smtp;

namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// BINARY (RFC 3516): BINARY[] and BINARY.SIZE[] of quoted-printable and base64 parts are the decoded octets (RFC 2045
/// §6.7: trailing white space is not content, "=" before white space is a soft line break); an APPEND of a literal8
/// round-trips through BINARY[] while BODY[] stays valid IMAP; an empty section is the empty string.
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapBinaryTranscriptTests(ImapHostFixture host)
{
    private const string Message =
        "From: a@example.test\r\nSubject: binary\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
        "--b\r\nContent-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
        "hello  \r\nbar=\r\n\r\nfoo\t=\r\nbar\r\nfoo\t \t= \r\n=62\r\nfoo = \t\r\nbar\r\nend=3D\r\n" +
        "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
        "AAEC/w==\r\n" +
        "--b\r\nContent-Type: text/plain\r\n\r\n" +
        "\r\n--b--\r\n";

    private async Task<SmtpTranscript> WithMessageAsync(string message)
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        api.Dispose();
        var imap = await ImapTestMail.LoginAsync(host, address);
        await ImapMessages.AppendAsync(imap, "INBOX", "(\\Seen) ", message, 1);
        await imap.RunAsync("""
            C: s1 SELECT INBOX
            S: * FLAGS*
            S: * 1 EXISTS
            S: * 1 RECENT
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 2] Predicted next UID
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-WRITE] SELECT completed
            """);
        return imap;
    }

    [Fact]
    public async Task QuotedPrintableAndBase64PartsAreDecoded()
    {
        await using var imap = await WithMessageAsync(Message);
        await imap.RunAsync("""
            C: b1 FETCH 1 (BINARY.SIZE[1] BINARY.SIZE[2])
            S: * 1 FETCH (BINARY.SIZE[1] 43 BINARY.SIZE[2] 4)
            S: b1 OK FETCH completed
            C: b2 FETCH 1 (BINARY.PEEK[1])
            S: * 1 FETCH (BINARY[1] {43}
            """);
        Assert.Equal("hello\r\nbar\r\nfoo\tbar\r\nfoo\t \tb\r\nfoo bar\r\nend=", Encoding.ASCII.GetString(await imap.ReadBytesAsync(43)));
        await imap.RunAsync("""
            S: )
            S: b2 OK FETCH completed
            C: b3 FETCH 1 (BINARY.PEEK[1]<7.10>)
            S: * 1 FETCH (BINARY[1]<7> {10}
            """);
        Assert.Equal("bar\r\nfoo\tb", Encoding.ASCII.GetString(await imap.ReadBytesAsync(10)));
        await imap.RunAsync("""
            S: )
            S: b3 OK FETCH completed
            C: b4 FETCH 1 (BINARY.PEEK[2])
            S: * 1 FETCH (BINARY[2] ~{4}
            """);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, await imap.ReadBytesAsync(4));
        await imap.RunAsync("""
            S: )
            S: b4 OK FETCH completed
            C: b5 FETCH 1 (BODY.PEEK[3] BINARY.PEEK[3] BINARY.SIZE[3])
            S: * 1 FETCH (BODY[3] "" BINARY[3] "" BINARY.SIZE[3] 0)
            S: b5 OK FETCH completed
            C: b6 FETCH 1 (BODY.PEEK[1]<1000.5>)
            S: * 1 FETCH (BODY[1]<1000> "")
            S: b6 OK FETCH completed
            """);
    }

    [Fact]
    public async Task ALiteral8AppendRoundTripsThroughBinary()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        api.Dispose();
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        byte[] body = [0, (byte)'-', 0xE4, (byte)'\n', (byte)'\r', (byte)'\n', 0x80];
        var header = "From: a@example.test\r\nMIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n"u8.ToArray();
        byte[] message = [.. header, .. body];
        await imap.SendAsync([.. Encoding.ASCII.GetBytes($"a1 APPEND INBOX ~{{{message.Length}}}\r\n")]);
        await imap.ExpectLineStartsWithAsync("+ ");
        await imap.SendAsync([.. message, .. "\r\n"u8]);
        await imap.ExpectLineStartsWithAsync("a1 OK [APPENDUID ");
        await imap.RunAsync("""
            C: s1 EXAMINE INBOX
            S: * FLAGS*
            S: * 1 EXISTS
            S: * 1 RECENT
            S: * OK [UNSEEN 1]*
            S: * OK [UIDVALIDITY *
            S: * OK [UIDNEXT 2] Predicted next UID
            S: * OK [PERMANENTFLAGS*
            S: * OK [HIGHESTMODSEQ *
            S: * OK [MAILBOXID (*
            S: s1 OK [READ-ONLY] EXAMINE completed
            C: f1 FETCH 1 (BINARY.SIZE[1] BODYSTRUCTURE)
            S: * 1 FETCH (BINARY.SIZE[1] 7 BODYSTRUCTURE ("application" "octet-stream" NIL NIL NIL "base64" *
            S: f1 OK FETCH completed
            C: f2 FETCH 1 (BODY.PEEK[1])
            S: * 1 FETCH (BODY[1] {14}
            S: AC3kCg0KgA==
            S: )
            S: f2 OK FETCH completed
            C: f3 FETCH 1 (BINARY.PEEK[1])
            S: * 1 FETCH (BINARY[1] ~{7}
            """);
        Assert.Equal(body, await imap.ReadBytesAsync(body.Length));
        await imap.RunAsync("""
            S: )
            S: f3 OK FETCH completed
            """);
    }
}
