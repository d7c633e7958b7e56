using System.Text;
using Mail.Frontends.Hosting;

namespace Mail.Protocol.Tests.Hosting;

/// <summary>The one SASL decoder of SMTP AUTH, POP3 AUTH and IMAP AUTHENTICATE: PLAIN (RFC 4616 §2) and LOGIN answers.</summary>
public sealed class SaslDecoderTests
{
    private const int Max = 300;
    private readonly SaslDecoder _sasl = new(Max);

    [Fact]
    public void PlainWithoutAuthzidGivesUserAndSecret()
    {
        Assert.Equal(new SaslCredentials(SaslStatus.Ok, "alice@example.test", "pa ss\u00e9"), _sasl.DecodePlain(B64("\0alice@example.test\0pa ss\u00e9")));
    }

    [Fact]
    public void PlainWithAuthzidEqualToTheUserInAnyCaseIsAccepted()
    {
        Assert.Equal(new SaslCredentials(SaslStatus.Ok, "alice@example.test", "pw"), _sasl.DecodePlain(B64("Alice@Example.TEST\0alice@example.test\0pw")));
    }

    [Fact]
    public void PlainAskingToActAsAnotherUserIsAnAuthzidMismatch()
    {
        Assert.Equal(new SaslCredentials(SaslStatus.AuthzidMismatch), _sasl.DecodePlain(B64("bob@example.test\0alice@example.test\0pw")));
    }

    [Theory]
    [InlineData("no separators")]
    [InlineData("\0only-one-nul")]
    [InlineData("a\0b\0c\0d")]
    [InlineData("\0\0password-without-user")]
    [InlineData("\0alice@example.test\0")]
    [InlineData("")]
    public void PlainWithoutThreeFieldsAndANameAndASecretIsMalformed(string message)
    {
        Assert.Equal(SaslStatus.Malformed, _sasl.DecodePlain(B64(message)).Status);
    }

    [Fact]
    public void EqualsSignIsAnEmptyResponseWhichPlainRefusesAndLoginAccepts()
    {
        Assert.Equal(SaslStatus.Malformed, _sasl.DecodePlain("=").Status);
        Assert.Equal(SaslStatus.Ok, _sasl.DecodeLoginField("=", out var field));
        Assert.Equal("", field);
    }

    [Theory]
    [InlineData("!!!not-base64!!!")]
    [InlineData("YWJj ZGVm")]
    [InlineData("YWJjZ")]
    [InlineData("YW=j")]
    [InlineData("YWJj\tZGVm")]
    [InlineData("\u00e9\u00e9\u00e9\u00e9")]
    public void MalformedBase64IsBadEncoding(string response)
    {
        Assert.Equal(SaslStatus.BadEncoding, _sasl.DecodePlain(response).Status);
        Assert.Equal(SaslStatus.BadEncoding, _sasl.DecodeLoginField(response, out _));
    }

    [Fact]
    public void OctetsThatAreNotUtf8AreBadEncoding()
    {
        var response = Convert.ToBase64String([0, (byte)'a', 0, 0xC3, 0x28]);

        Assert.Equal(SaslStatus.BadEncoding, _sasl.DecodePlain(response).Status);
    }

    [Fact]
    public void AsteriskCancels()
    {
        Assert.Equal(SaslStatus.Cancelled, _sasl.DecodePlain("*").Status);
        Assert.Equal(SaslStatus.Cancelled, _sasl.DecodeLoginField(" * ", out _));
    }

    [Fact]
    public void ResponseOfExactlyTheLimitIsDecodedAndOneOctetMoreIsTooLong()
    {
        var user = "alice@example.test";
        var exact = "\0" + user + "\0" + new string('p', Max - user.Length - 2);
        var over = exact + "p";

        Assert.Equal(Max, Encoding.UTF8.GetByteCount(exact));
        Assert.Equal(SaslStatus.Ok, _sasl.DecodePlain(B64(exact)).Status);
        Assert.Equal(SaslStatus.TooLong, _sasl.DecodePlain(B64(over)).Status);
    }

    [Fact]
    public void HugeResponseIsTooLongBeforeItIsDecoded()
    {
        var huge = new string('A', 4 * 1024 * 1024);

        Assert.Equal(SaslStatus.TooLong, _sasl.DecodePlain(huge).Status);
        Assert.Equal(SaslStatus.TooLong, _sasl.DecodeLoginField(huge, out _));
    }

    [Fact]
    public void LoginFieldIsDecodedAndANulInItIsMalformed()
    {
        Assert.Equal(SaslStatus.Ok, _sasl.DecodeLoginField(B64("alice@example.test"), out var user));
        Assert.Equal("alice@example.test", user);
        Assert.Equal(SaslStatus.Malformed, _sasl.DecodeLoginField(B64("alice\0admin"), out var smuggled));
        Assert.Equal("", smuggled);
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
