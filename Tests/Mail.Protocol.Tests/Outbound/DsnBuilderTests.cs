using System.Text;
using Mail.Grains.Outbound.Bounces;
using MimeKit;

namespace Mail.Protocol.Tests.Outbound;

public class DsnBuilderTests
{
    internal static readonly DateTimeOffset Arrival = new(2026, 11, 30, 9, 15, 0, TimeSpan.Zero);
    internal static readonly DateTimeOffset Attempt = new(2026, 11, 30, 9, 20, 5, TimeSpan.Zero);

    internal const string OriginalHeaders =
        "Return-Path: <alice@example.org>\r\n" +
        "From: Alice <alice@example.org>\r\n" +
        "To: bob@remote.test\r\n" +
        "Subject: Quarterly numbers\r\n" +
        "Message-ID: <orig-1@example.org>\r\n" +
        "Date: Mon, 30 Nov 2026 09:14:59 +0000\r\n";

    internal const string OriginalBody = "SECRET BODY LINE that must never be returned\r\n";

    internal static DsnReport Report(params DsnRecipient[] recipients) => new(
        "mta1.example.org",
        "alice@example.org",
        Arrival,
        recipients,
        Encoding.ASCII.GetBytes(OriginalHeaders + "\r\n" + OriginalBody),
        OriginalSubject: "Quarterly numbers",
        OriginalMessageId: "<orig-1@example.org>",
        OriginalEnvelopeId: "QQ314159",
        Date: Attempt);

    internal static DsnRecipient UserUnknown(string address = "bob@remote.test") => new(
        address, DsnAction.Failed, "5.1.1", Attempt,
        OriginalRecipient: "rfc822;" + address,
        RemoteMta: "mx.remote.test",
        DiagnosticCode: $"550 5.1.1 <{address}>: Recipient address rejected: User unknown");

    private static byte[] BuildBytes(DsnReport report) => DsnBuilder.ToBytes(DsnBuilder.Build(report));

    private static string Latin(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    [Fact]
    public void OneFailedRecipientIsAMultipartReportWithThreePartsInOrder()
    {
        var bytes = BuildBytes(Report(UserUnknown()));
        var message = MimeMessage.Load(new MemoryStream(bytes));

        var report = Assert.IsType<MultipartReport>(message.Body);
        Assert.Equal("delivery-status", report.ReportType);
        Assert.Equal(3, report.Count);
        Assert.True(report[0].ContentType.IsMimeType("text", "plain"));
        Assert.IsType<MessageDeliveryStatus>(report[1]);
        Assert.IsType<TextRfc822Headers>(report[2]);

        var python = PythonEmail.Read(bytes);
        Assert.Equal(["multipart/report", "text/plain", "message/delivery-status", "text/rfc822-headers"],
            python.GetProperty("types").EnumerateArray().Select(t => t.GetString()!).ToArray());
        Assert.Equal("delivery-status", python.GetProperty("report_type").GetString());
        Assert.Empty(python.GetProperty("defects").EnumerateArray());
    }

    [Fact]
    public void TopLevelFieldsNameMailerDaemonTheSenderAndTheOriginal()
    {
        var bytes = BuildBytes(Report(UserUnknown()));
        var message = MimeMessage.Load(new MemoryStream(bytes));
        var python = PythonEmail.Read(bytes);

        Assert.Equal("MAILER-DAEMON@mta1.example.org", message.From.Mailboxes.Single().Address);
        Assert.Equal("Mail Delivery System", message.From.Mailboxes.Single().Name);
        Assert.Equal("alice@example.org", message.To.Mailboxes.Single().Address);
        Assert.Equal(DsnBuilder.FailedSubject, message.Subject);
        Assert.Equal(Attempt, message.Date);
        Assert.EndsWith("@mta1.example.org", message.MessageId);
        Assert.Equal("orig-1@example.org", message.InReplyTo);
        Assert.Equal(["orig-1@example.org"], message.References.ToArray());

        Assert.Equal("Mail Delivery System <MAILER-DAEMON@mta1.example.org>", python.GetProperty("From").GetString());
        Assert.Equal("alice@example.org", python.GetProperty("To").GetString());
        Assert.Equal("Undelivered Mail Returned to Sender", python.GetProperty("Subject").GetString());
        Assert.Equal("<orig-1@example.org>", python.GetProperty("In-Reply-To").GetString());
        Assert.Equal("<orig-1@example.org>", python.GetProperty("References").GetString());
        Assert.Equal("1.0", python.GetProperty("MIME-Version").GetString());
    }

    [Fact]
    public void AutoSubmittedIsAutoReplied()
    {
        var bytes = BuildBytes(Report(UserUnknown()));
        Assert.Equal("auto-replied", MimeMessage.Load(new MemoryStream(bytes)).Headers["Auto-Submitted"]);
        Assert.Equal("auto-replied", PythonEmail.Read(bytes).GetProperty("Auto-Submitted").GetString());
    }

    [Fact]
    public void DeliveryStatusFieldsAreWrittenFieldByField()
    {
        var python = PythonEmail.Read(BuildBytes(Report(UserUnknown())));
        Assert.Equal(2, python.GetProperty("groups").GetArrayLength());

        Assert.Equal(
            [("Reporting-MTA", "dns; mta1.example.org"), ("Original-Envelope-Id", "QQ314159"), ("Arrival-Date", "Mon, 30 Nov 2026 09:15:00 +0000")],
            PythonEmail.Group(python, 0));
        Assert.Equal(
            [
                ("Original-Recipient", "rfc822;bob@remote.test"),
                ("Final-Recipient", "rfc822; bob@remote.test"),
                ("Action", "failed"),
                ("Status", "5.1.1"),
                ("Remote-MTA", "dns; mx.remote.test"),
                ("Diagnostic-Code", "smtp; 550 5.1.1 <bob@remote.test>: Recipient address rejected: User unknown"),
                ("Last-Attempt-Date", "Mon, 30 Nov 2026 09:20:05 +0000"),
            ],
            PythonEmail.Group(python, 1));
    }

    [Fact]
    public void MimeKitReadsTheSameStatusGroups()
    {
        var message = MimeMessage.Load(new MemoryStream(BuildBytes(Report(UserUnknown()))));
        var status = ((MultipartReport)message.Body!)[1] as MessageDeliveryStatus;
        Assert.NotNull(status);
        Assert.Equal(2, status.StatusGroups.Count);
        Assert.Equal("dns; mta1.example.org", status.StatusGroups[0]["Reporting-MTA"]);
        var recipient = status.StatusGroups[1];
        Assert.Equal("rfc822; bob@remote.test", recipient["Final-Recipient"]);
        Assert.Equal("failed", recipient["Action"]);
        Assert.Equal("5.1.1", recipient["Status"]);
        Assert.Null(recipient["Will-Retry-Until"]);
    }

    [Fact]
    public void TwoFailedRecipientsGetTwoBlocksAndBothAppearInTheHumanPart()
    {
        var second = UserUnknown("carol@remote.test") with { Status = "5.2.2", DiagnosticCode = "552 5.2.2 mailbox full", OriginalRecipient = null };
        var python = PythonEmail.Read(BuildBytes(Report(UserUnknown(), second)));

        Assert.Equal(3, python.GetProperty("groups").GetArrayLength());
        var carol = PythonEmail.Group(python, 2);
        Assert.Equal("rfc822; carol@remote.test", PythonEmail.Field(carol, "Final-Recipient"));
        Assert.Null(PythonEmail.Field(carol, "Original-Recipient"));
        Assert.Equal("5.2.2", PythonEmail.Field(carol, "Status"));
        Assert.Equal("smtp; 552 5.2.2 mailbox full", PythonEmail.Field(carol, "Diagnostic-Code"));

        var human = python.GetProperty("human").GetString()!;
        Assert.Contains("<bob@remote.test>: host mx.remote.test said: 550 5.1.1 <bob@remote.test>: Recipient address rejected: User unknown", human);
        Assert.Contains("<carol@remote.test>: host mx.remote.test said: 552 5.2.2 mailbox full", human);
        Assert.Contains("\"Quarterly numbers\"", human);
    }

    [Fact]
    public void DelayedRecipientCarriesWillRetryUntilAndTheDelaySubject()
    {
        var until = Arrival.AddDays(5);
        var delayed = new DsnRecipient("bob@remote.test", DsnAction.Delayed, "4.4.1", Attempt,
            RemoteMta: "mx.remote.test", DiagnosticCode: "421 4.4.1 connection timed out", WillRetryUntil: until);
        var bytes = BuildBytes(Report(delayed));
        var python = PythonEmail.Read(bytes);

        Assert.Equal(DsnBuilder.DelayedSubject, python.GetProperty("Subject").GetString());
        var group = PythonEmail.Group(python, 1);
        Assert.Equal("delayed", PythonEmail.Field(group, "Action"));
        Assert.Equal("Sat, 05 Dec 2026 09:15:00 +0000", PythonEmail.Field(group, "Will-Retry-Until"));
        Assert.Contains("retrying until Sat, 05 Dec 2026 09:15:00 +0000", python.GetProperty("human").GetString());
    }

    [Fact]
    public void DiagnosticCodeWithNewlinesCannotInjectFields()
    {
        var hostile = UserUnknown() with
        {
            DiagnosticCode = "550 5.1.1 no such user\r\nAction: delivered\r\n\r\nFinal-Recipient: rfc822; evil@attacker.test\nStatus: 2.0.0\rX-Injected: yes",
            RemoteMta = "mx.remote.test\r\nX-Evil: 1",
        };
        var bytes = BuildBytes(Report(hostile));
        var python = PythonEmail.Read(bytes);

        Assert.Equal(2, python.GetProperty("groups").GetArrayLength());
        var group = PythonEmail.Group(python, 1);
        Assert.Equal(["Original-Recipient", "Final-Recipient", "Action", "Status", "Remote-MTA", "Diagnostic-Code", "Last-Attempt-Date"],
            group.Select(f => f.Name).ToArray());
        Assert.Equal("failed", PythonEmail.Field(group, "Action"));
        Assert.Equal("dns; mx.remote.test X-Evil: 1", PythonEmail.Field(group, "Remote-MTA"));
        Assert.Equal("smtp; 550 5.1.1 no such user Action: delivered Final-Recipient: rfc822; evil@attacker.test Status: 2.0.0 X-Injected: yes",
            PythonEmail.Field(group, "Diagnostic-Code"));
        Assert.DoesNotContain(BounceReportParser.Parse(MimeMessage.Load(new MemoryStream(bytes))), r => r.Address.Contains("attacker"));
    }

    [Fact]
    public void MultiLineReplyIsJoinedWithoutRepeatedCodes()
    {
        var multi = UserUnknown() with { DiagnosticCode = "550-5.1.1 The email account that you tried to reach does not exist.\r\n550-5.1.1 Please try double-checking the recipient's email\r\n550 5.1.1 address. abc123 - gsmtp" };
        var group = PythonEmail.Group(PythonEmail.Read(BuildBytes(Report(multi))), 1);
        Assert.Equal("smtp; 550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address. abc123 - gsmtp",
            PythonEmail.Field(group, "Diagnostic-Code"));
    }

    [Fact]
    public void NonAsciiReplyIsReplacedInTheReportAndKeptInTheHumanPart()
    {
        var reply = UserUnknown("jörg@remote.test") with { DiagnosticCode = "550 5.1.1 Empfänger unbekannt — ß", OriginalRecipient = null };
        var bytes = BuildBytes(Report(reply));
        Assert.All(bytes, b => Assert.True(b < 128, "the DSN is 7-bit clean"));
        var python = PythonEmail.Read(bytes);
        var group = PythonEmail.Group(python, 1);

        Assert.Equal("smtp; 550 5.1.1 Empf?nger unbekannt ? ?", PythonEmail.Field(group, "Diagnostic-Code"));
        Assert.Equal("utf-8; j\\x{F6}rg@remote.test", PythonEmail.Field(group, "Final-Recipient"));
        Assert.Contains("Empfänger unbekannt — ß", python.GetProperty("human").GetString());
        Assert.Equal("jörg@remote.test", BounceReportParser.Parse(MimeMessage.Load(new MemoryStream(bytes))).Single().Address);
    }

    [Fact]
    public void OriginalHeadersAreReturnedAndTheBodyIsNot()
    {
        var bytes = BuildBytes(Report(UserUnknown()));
        Assert.DoesNotContain("SECRET BODY", Latin(bytes));

        var headers = PythonEmail.Read(bytes).GetProperty("headers").GetString()!;
        Assert.StartsWith(OriginalHeaders, headers);
        Assert.Equal("", headers[OriginalHeaders.Length..].Trim());

        var mime = (TextRfc822Headers)((MultipartReport)MimeMessage.Load(new MemoryStream(bytes)).Body!)[2];
        Assert.Equal("Quarterly numbers", mime.Message!.Subject);
        Assert.Equal("orig-1@example.org", mime.Message.MessageId);
    }

    [Fact]
    public void OversizedOriginalHeadersAreCutAtAFieldBoundary()
    {
        var filler = string.Concat(Enumerable.Range(0, 2000).Select(i => $"X-Filler-{i:D4}: {new string('a', 40)}\r\n"));
        var report = Report(UserUnknown()) with { OriginalHeaders = Encoding.ASCII.GetBytes(OriginalHeaders + filler + "\r\n" + OriginalBody) };
        var headers = PythonEmail.Read(BuildBytes(report)).GetProperty("headers").GetString()!;

        Assert.True(headers.Length <= DsnBuilder.MaxOriginalHeaderBytes + 2, $"{headers.Length} bytes returned");
        Assert.StartsWith(OriginalHeaders, headers);
        var lines = headers.TrimEnd().Split("\r\n");
        Assert.Matches(@"^X-Filler-\d{4}: a{40}$", lines[^1]);
    }

    [Fact]
    public void WireBytesUseCrlfOnly()
    {
        var bytes = BuildBytes(Report(UserUnknown()));
        for (var i = 0; i < bytes.Length; i++)
            if (bytes[i] == '\n') Assert.True(i > 0 && bytes[i - 1] == '\r', $"bare LF at {i}");
        Assert.All(Latin(bytes).Split("\r\n"), line => Assert.True(line.Length <= 998));
    }

    [Fact]
    public void InvalidStatusIsRejected()
    {
        Assert.Throws<ArgumentException>(() => DsnBuilder.Build(Report(UserUnknown() with { Status = "550" })));
        Assert.Throws<ArgumentException>(() => DsnBuilder.Build(Report()));
    }

    [Fact]
    public void HostileOriginalMessageIdIsLeftOut()
    {
        var report = Report(UserUnknown()) with { OriginalMessageId = "<a@b>\r\nBcc: victim@example.net" };
        var message = MimeMessage.Load(new MemoryStream(BuildBytes(report)));
        Assert.Null(message.InReplyTo);
        Assert.Empty(message.Bcc);
    }
}
