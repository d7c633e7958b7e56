using System.Text;
using Mail.Grains.Outbound.Bounces;
using MimeKit;

namespace Mail.Protocol.Tests.Outbound;

public class BounceReportParserTests
{
    private static MimeMessage Load(string text) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void OwnDsnRoundTrips()
    {
        var delayed = new DsnRecipient("carol@remote.test", DsnAction.Delayed, "4.4.1", DsnBuilderTests.Attempt,
            DiagnosticCode: "421 4.4.1 timed out", WillRetryUntil: DsnBuilderTests.Arrival.AddDays(5));
        var dsn = DsnBuilder.ToBytes(DsnBuilder.Build(DsnBuilderTests.Report(DsnBuilderTests.UserUnknown(), delayed)));

        var recipients = BounceReportParser.Parse(MimeMessage.Load(new MemoryStream(dsn)));

        Assert.Equal(
            [
                new ReportedRecipient("bob@remote.test", DsnAction.Failed, "5.1.1",
                    "550 5.1.1 <bob@remote.test>: Recipient address rejected: User unknown", "mx.remote.test", "bob@remote.test"),
                new ReportedRecipient("carol@remote.test", DsnAction.Delayed, "4.4.1", "421 4.4.1 timed out", null),
            ],
            recipients);
    }

    [Fact]
    public void PostfixBounceGivesEachRecipientBlockAndSkipsPerMessageFields()
    {
        var recipients = BounceReportParser.Parse(Load(BounceSamples.Postfix));

        Assert.Equal(2, recipients.Count);
        Assert.Equal(new ReportedRecipient("bob@remote.test", DsnAction.Failed, "5.1.1",
            "550 5.1.1 <bob@remote.test>: Recipient address rejected: User unknown in local recipient table",
            "mailstore.remote.test", "bob@remote.test"), recipients[0]);
        Assert.Equal(new ReportedRecipient("carol@remote.test", DsnAction.Delayed, "4.4.1",
            "connect to mailstore.remote.test[10.0.0.7]:25: Connection timed out", null, "carol@remote.test"), recipients[1]);
        Assert.DoesNotContain(recipients, r => r.Address.StartsWith("bounces+", StringComparison.Ordinal));
    }

    [Fact]
    public void ReportNestedInMultipartMixedWithLowerCaseFieldsAndNoFinalRecipientIsRead()
    {
        var recipient = Assert.Single(BounceReportParser.Parse(Load(BounceSamples.WrappedExchange)));

        Assert.Equal("Dave@Remote.test", recipient.Address);
        Assert.Equal(DsnAction.Failed, recipient.Action);
        Assert.Equal("5.2.2", recipient.Status);
        Assert.Equal("552 5.2.2 STOREDRV.Deliver; mailbox full", recipient.DiagnosticCode);
        Assert.Null(recipient.RemoteMta);
        Assert.Null(recipient.OriginalRecipient);
    }

    [Fact]
    public void MissingStatusIsTakenFromTheDiagnosticReply()
    {
        var recipient = Assert.Single(BounceReportParser.Parse(Load(BounceSamples.GmailNoStatus)));

        Assert.Equal("eve@remote.test", recipient.Address);
        Assert.Equal("5.0.0", recipient.Status);
        Assert.Equal("550 user unknown", recipient.DiagnosticCode);
        Assert.StartsWith("mx.remote.test.", recipient.RemoteMta);
    }

    [Fact]
    public void VacationAutoReplyGivesNoRecipients() =>
        Assert.Empty(BounceReportParser.Parse(Load(BounceSamples.Vacation)));

    [Fact]
    public void PlainTextMessageGivesNoRecipients() =>
        Assert.Empty(BounceReportParser.Parse(Load("From: a@b.test\nSubject: hi\n\nFinal-Recipient: rfc822; x@y.test\nAction: failed\n")));

    [Fact]
    public void GlobalDeliveryStatusIsReadAsUtf8()
    {
        var recipients = BounceReportParser.Parse(Load(BounceSamples.Global));

        Assert.Equal(2, recipients.Count);
        Assert.Equal("jörg@bücher.test", recipients[0].Address);
        Assert.Equal("550 5.1.1 Empfänger unbekannt", recipients[0].DiagnosticCode);
        Assert.Equal("jörg2@remote.test", recipients[1].Address);
        Assert.All(recipients, r => Assert.Equal(DsnAction.Failed, r.Action));
    }

    [Fact]
    public void MultipartReportOfAnotherKindGivesNoRecipients()
    {
        const string mdn = """
            From: bob@remote.test
            To: bounces+0123456789abcdef@example.org
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=disposition-notification; boundary="m"

            --m
            Content-Type: text/plain

            Read.
            --m
            Content-Type: message/disposition-notification

            Final-Recipient: rfc822; bob@remote.test
            Disposition: manual-action/MDN-sent-manually; displayed

            --m--
            """;
        Assert.Empty(BounceReportParser.Parse(Load(mdn)));
    }
}
