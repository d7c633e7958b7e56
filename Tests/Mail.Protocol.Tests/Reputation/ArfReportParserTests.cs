using System.Text;
using Mail.Grains.Reputation.Feedback;
using MimeKit;

namespace Mail.Protocol.Tests.Reputation;

public class ArfReportParserTests
{
    private const string Verp = "bounces+0123456789abcdefghijklmnop@sender.test";

    private static MimeMessage Load(string text) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    // RFC 5965 Appendix B.2, with our VERP return path as the original envelope sender.
    private static string Report(string fields, string original, string originalType = "message/rfc822") =>
        "From: <abusedesk@example.com>\r\nTo: <fbl@sender.test>\r\nSubject: FW: Earn money\r\nMIME-Version: 1.0\r\n" +
        "Content-Type: multipart/report; report-type=feedback-report;\r\n boundary=\"part1_13d.2e68ed54_boundary\"\r\n\r\n" +
        "--part1_13d.2e68ed54_boundary\r\nContent-Type: text/plain; charset=\"US-ASCII\"\r\n\r\n" +
        "This is an email abuse report for an email message received from IP\r\n192.0.2.1 on Thu, 8 Mar 2005 14:00:00 EDT.\r\n" +
        "--part1_13d.2e68ed54_boundary\r\nContent-Type: message/feedback-report\r\n\r\n" + fields + "\r\n" +
        $"--part1_13d.2e68ed54_boundary\r\nContent-Type: {originalType}\r\nContent-Disposition: inline\r\n\r\n" + original +
        "\r\n--part1_13d.2e68ed54_boundary--\r\n";

    private const string Fields =
        "Feedback-Type: abuse\r\nUser-Agent: SomeGenerator/1.0\r\nVersion: 1\r\n" +
        $"Original-Mail-From: <{Verp}>\r\nOriginal-Rcpt-To: <user@example.com>\r\n" +
        "Arrival-Date: Thu, 8 Mar 2005 14:00:00 EDT\r\nReporting-MTA: dns; mail.example.com\r\nSource-IP: 192.0.2.1\r\n" +
        "Authentication-Results: mail.example.com; spf=fail smtp.mail=somespammer@example.com\r\n" +
        "Reported-Domain: example.net\r\nReported-Uri: http://example.net/earn_money.html\r\n";

    private const string Original =
        $"Return-Path: <{Verp}>\r\nFrom: <somespammer@example.net>\r\nTo: <Undisclosed Recipients>, Carol <carol@example.com>\r\n" +
        "Subject: Earn money\r\nMIME-Version: 1.0\r\nContent-type: text/plain\r\nMessage-ID: 8787KJKJ3K4J3K4J3K4J3.mail@example.net\r\n" +
        "Date: Thu, 02 Sep 2004 12:31:03 -0500\r\n\r\nSpam Spam Spam\r\n";

    [Fact]
    public void Rfc5965SampleGivesEveryFieldAttributionNeeds()
    {
        var report = ArfReportParser.Parse(Load(Report(Fields, Original)));

        Assert.NotNull(report);
        Assert.Equal("abuse", report.FeedbackType);
        Assert.Equal("SomeGenerator/1.0", report.UserAgent);
        Assert.Equal(Verp, report.OriginalMailFrom);
        Assert.Equal(["user@example.com"], report.OriginalRcptTo);
        Assert.Equal("192.0.2.1", report.SourceIp);
        Assert.Equal(Verp, report.ReturnPath);
        Assert.Contains("carol@example.com", report.MessageRecipients);
        Assert.Equal("8787KJKJ3K4J3K4J3K4J3.mail@example.net", report.MessageId);
    }

    [Fact]
    public void HeadersOnlyAndRedactedReportStillGivesTheReturnPath()
    {
        // RFC 6590 redaction: no Original-Mail-From or Original-Rcpt-To, the recipient's local part replaced.
        var fields = "Feedback-Type: ABUSE\r\nUser-Agent: Redactor/2\r\nVersion: 1\r\n";
        var original = $"Return-Path: <{Verp}>\r\nFrom: news@sender.test\r\nTo: 3f8a9c@example.com\r\nSubject: news\r\n";

        var report = ArfReportParser.Parse(Load(Report(fields, original, "text/rfc822-headers")));

        Assert.NotNull(report);
        Assert.Equal("abuse", report.FeedbackType);
        Assert.Null(report.OriginalMailFrom);
        Assert.Empty(report.OriginalRcptTo);
        Assert.Null(report.SourceIp);
        Assert.Equal(Verp, report.ReturnPath);
        Assert.Equal(["3f8a9c@example.com"], report.MessageRecipients);
    }

    [Fact]
    public void AReportWrappedInMultipartMixedIsFound()
    {
        var inner = Report(Fields, Original);
        var split = inner.IndexOf("MIME-Version", StringComparison.Ordinal);
        var wrapped = "From: <gateway@example.com>\r\nTo: <fbl@sender.test>\r\nSubject: fwd\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n--outer\r\n" +
            inner[(split + "MIME-Version: 1.0\r\n".Length)..] + "\r\n--outer--\r\n";

        Assert.Equal("abuse", ArfReportParser.Parse(Load(wrapped))?.FeedbackType);
    }

    [Theory]
    [InlineData("Content-Type: text/plain\r\n\r\nI am on vacation.\r\n")]
    [InlineData("Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n")]
    public void MailThatIsNotAnArfReportGivesNull(string body) =>
        Assert.Null(ArfReportParser.Parse(Load("From: a@b.test\r\nTo: fbl@sender.test\r\nSubject: x\r\nMIME-Version: 1.0\r\n" + body)));

    [Fact]
    public void AFeedbackReportWithoutFeedbackTypeGivesNull() =>
        Assert.Null(ArfReportParser.Parse(Load(Report("User-Agent: x/1\r\nVersion: 1\r\n", Original))));

    [Fact]
    public void ASourceIpThatIsNotAnAddressIsDropped() =>
        Assert.Null(ArfReportParser.Parse(Load(Report("Feedback-Type: abuse\r\nSource-IP: somewhere\r\n", Original)))?.SourceIp);
}
