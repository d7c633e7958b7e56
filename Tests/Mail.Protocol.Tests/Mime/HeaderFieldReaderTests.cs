using System.Text;
using Mail.Mime;

namespace Mail.Protocol.Tests.Mime;

/// <summary>One header field read from a message prefix (RFC 5322 §2.2), as submission reads X-Mail-Class.</summary>
public sealed class HeaderFieldReaderTests
{
    private static string? Read(string text, string name = "X-Mail-Class") => HeaderFieldReader.First(Encoding.UTF8.GetBytes(text), name);

    [Theory]
    [InlineData("X-Mail-Class: marketing\r\nSubject: x\r\n\r\nbody\r\n", "marketing")]
    [InlineData("Subject: x\r\nx-mail-class:  Marketing \r\n\r\n", "Marketing")]
    [InlineData("X-Mail-Class:\r\n marketing\r\n\r\n", "marketing")]
    [InlineData("X-Mail-Class: transactional\r\nX-Mail-Class: marketing\r\n\r\n", "transactional")]
    public void TheFirstFieldIsReadUnfoldedAndTrimmed(string message, string expected) => Assert.Equal(expected, Read(message));

    [Theory]
    [InlineData("Subject: x\r\n\r\nX-Mail-Class: marketing\r\n")]
    [InlineData("X-Mail-Class: marketing\r\nSubject: the header section does not end")]
    public void AFieldInTheBodyOrAnUnfinishedHeaderSectionIsNone(string message) => Assert.Null(Read(message));
}
