using System.Text;
using Mail.Frontends.Smtp.Protocol;

namespace Mail.Protocol.Tests.Smtp;

/// <summary>Bare CR and bare LF in BDAT chunks (RFC 3030 content refused like DATA's, against SMTP smuggling).</summary>
public sealed class BareLineEndDetectorTests
{
    /// <summary>Checks the chunks of <paramref name="chunks"/>, separated by '|', then finishes.</summary>
    private static DataStatus Run(string chunks)
    {
        var detector = new BareLineEndDetector();
        foreach (var chunk in chunks.Split('|'))
        {
            var status = detector.Check(Encoding.UTF8.GetBytes(chunk));
            if (status != DataStatus.NeedMore) return status;
        }
        return detector.Finish();
    }

    [Theory]
    [InlineData("Subject: a\r\n\r\nbody\r\n")]
    [InlineData("Subject: a\r\n\r\nbody\r|\n")]
    [InlineData("Subject: a\r||\n\r\nbody\r\n")]
    [InlineData("no line end at all")]
    [InlineData("")]
    public void CrlfOnlyIsClean(string chunks) => Assert.Equal(DataStatus.End, Run(chunks));

    [Theory]
    [InlineData("hello\n.\nMAIL FROM:<a@b.example>\r\n")]
    [InlineData("\n")]
    [InlineData("hello\r\n|\nworld\r\n")]
    [InlineData("hello\r\n\n")]
    public void BareLfIsFound(string chunks) => Assert.Equal(DataStatus.BareLf, Run(chunks));

    [Theory]
    [InlineData("hello\r.\rMAIL FROM:<a@b.example>\r\n")]
    [InlineData("hello\r\r\n")]
    [InlineData("hello\r|x\r\n")]
    [InlineData("hello\r")]
    [InlineData("hello\r|")]
    public void BareCrIsFound(string chunks) => Assert.Equal(DataStatus.BareCr, Run(chunks));
}
