using System.Text;
using Mail.Grains.Outbound.Smtp;
using static Mail.Grains.Tests.Outbound.SmtpTestKit;

namespace Mail.Grains.Tests.Outbound;

/// <summary>Transactions of the outbound SMTP client against a real receiver: exact bytes, per-recipient results, SIZE, 8BITMIME, SMTPUTF8.</summary>
public sealed class OutboundDeliveryTests
{
    private static readonly byte[] DkimPrefix = "DKIM-Signature: v=1; a=rsa-sha256; d=sender.test; s=s1;\r\n\tb=abc\r\n"u8.ToArray();

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public async Task PrefixAndContentArriveExactlyWithDotLinesIntact(bool pipelining, bool chunking)
    {
        await using var receiver = TestSmtpReceiver.Start(new TestSmtpReceiverOptions { Pipelining = pipelining, Chunking = chunking });
        var content = Content(".starts with a dot\r\n..two dots\r\n.\r\nend\r\n.\r\n");
        await using var connection = await OpenAsync(receiver);

        var result = await connection.SendAsync(Message(content, prefix: DkimPrefix), CancellationToken.None);

        var received = await receiver.WaitForMessageAsync(Wait);
        Assert.Equal(Concat(DkimPrefix, content), received.Data);
        Assert.Equal(chunking, received.Chunked);
        Assert.Equal("sender@sender.test", received.MailFrom);
        Assert.Equal(["rcpt@receiver.test"], received.Recipients);
        Assert.Equal("mta.sender.test", received.EhloName);
        Assert.Equal(MxName, result.HostName);
        var recipient = Assert.Single(result.Recipients);
        Assert.True(recipient.Accepted);
        Assert.Equal("250 2.0.0 Ok: queued", recipient.Reply.ToString());
    }

    [Fact]
    public async Task LargeMessageGoesOutInSeveralChunksFromAForwardOnlyStream()
    {
        await using var receiver = TestSmtpReceiver.Start(new TestSmtpReceiverOptions { Chunking = true });
        var body = string.Concat(Enumerable.Range(0, 6000).Select(i => $".line {i} of the body\r\n"));
        var content = Concat(Content(body), "no final line break"u8.ToArray());
        await using var connection = await OpenAsync(receiver);

        var result = await connection.SendAsync(Message(content, prefix: DkimPrefix, seekable: false), CancellationToken.None);

        Assert.True(result.AllAccepted);
        Assert.Equal(Concat(DkimPrefix, content), (await receiver.WaitForMessageAsync(Wait)).Data);
        Assert.True(receiver.Commands.Count(c => c.StartsWith("BDAT", StringComparison.Ordinal)) > 1);
    }

    [Fact]
    public async Task DataWithoutFinalLineBreakGetsOneBeforeTheDot()
    {
        await using var receiver = TestSmtpReceiver.Start();
        var content = Content("last line without CRLF");
        await using var connection = await OpenAsync(receiver);

        await connection.SendAsync(Message(content), CancellationToken.None);

        Assert.Equal(Concat(content, "\r\n"u8.ToArray()), (await receiver.WaitForMessageAsync(Wait)).Data);
    }

    [Fact]
    public async Task NullReturnPathIsSentAsEmptyPath()
    {
        await using var receiver = TestSmtpReceiver.Start();
        await using var connection = await OpenAsync(receiver);

        await connection.SendAsync(Message(Content("a bounce"), from: ""), CancellationToken.None);

        Assert.Equal("", (await receiver.WaitForMessageAsync(Wait)).MailFrom);
        Assert.Contains(receiver.Commands, c => c.StartsWith("MAIL FROM:<> ", StringComparison.Ordinal) || c == "MAIL FROM:<>");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RefusedRecipientDoesNotStopTheOthers(bool pipelining)
    {
        await using var receiver = TestSmtpReceiver.Start(new TestSmtpReceiverOptions { Pipelining = pipelining });
        receiver.RejectRecipient("gone@receiver.test");
        await using var connection = await OpenAsync(receiver);

        var result = await connection.SendAsync(Message(Content("hi"), ["a@receiver.test", "gone@receiver.test", "b@receiver.test"]), CancellationToken.None);

        Assert.Equal(["a@receiver.test", "b@receiver.test"], (await receiver.WaitForMessageAsync(Wait)).Recipients);
        Assert.Equal(["a@receiver.test", "gone@receiver.test", "b@receiver.test"], result.Recipients.Select(r => r.Address));
        Assert.Equal([true, false, true], result.Recipients.Select(r => r.Accepted));
        var refused = result.Recipients[1].Reply;
        Assert.Equal((550, "5.1.1", "User unknown"), (refused.Code, refused.EnhancedCode, refused.Text));
        Assert.True(refused.IsPermanent);
        Assert.Equal(250, result.Recipients[0].Reply.Code);
    }

    [Fact]
    public async Task DeferredRecipientsGetTheTemporaryReplyAndTheNextTransactionStartsWithRset()
    {
        await using var receiver = TestSmtpReceiver.Start();
        receiver.Mode = ReceiverMode.DeferRecipients;
        receiver.DeferReply = "452 4.2.2 Mailbox full";
        await using var connection = await OpenAsync(receiver);

        var deferred = await connection.SendAsync(Message(Content("first")), CancellationToken.None);
        receiver.Mode = ReceiverMode.Accept;
        var delivered = await connection.SendAsync(Message(Content("second")), CancellationToken.None);

        var recipient = Assert.Single(deferred.Recipients);
        Assert.False(recipient.Accepted);
        Assert.False(recipient.Reply.IsPermanent);
        Assert.Equal("452 4.2.2 Mailbox full", recipient.Reply.ToString());
        Assert.True(delivered.AllAccepted);
        Assert.Equal(1, receiver.MessageCount);
        Assert.Contains("RSET", receiver.Commands);
        Assert.True(connection.IsUsable);
    }

    [Theory]
    [InlineData(ReceiverMode.RejectData, "554 5.6.0 Message content rejected", false)]
    [InlineData(ReceiverMode.DeferData, "451 4.7.1 Try again later", false)]
    [InlineData(ReceiverMode.RejectData, "554 5.6.0 Message content rejected", true)]
    public async Task RefusedDataAppliesToEveryAcceptedRecipient(ReceiverMode mode, string reply, bool chunking)
    {
        await using var receiver = TestSmtpReceiver.Start(new TestSmtpReceiverOptions { Chunking = chunking });
        receiver.Mode = mode;
        receiver.RejectReply = receiver.DeferReply = reply;
        await using var connection = await OpenAsync(receiver);

        var result = await connection.SendAsync(Message(Content("hi"), ["a@receiver.test", "b@receiver.test"]), CancellationToken.None);

        Assert.All(result.Recipients, r => Assert.False(r.Accepted));
        Assert.All(result.Recipients, r => Assert.Equal(reply, r.Reply.ToString()));
        Assert.Equal(0, receiver.MessageCount);
        Assert.True(connection.IsUsable);
    }

    [Fact]
    public async Task SizeOverServerLimitIsRefusedBeforeData()
    {
        await using var receiver = TestSmtpReceiver.Start(new TestSmtpReceiverOptions { Size = 1000 });
        await using var connection = await OpenAsync(receiver);

        var result = await connection.SendAsync(Message(Content(new string('x', 2000)), ["a@receiver.test", "b@receiver.test"]), CancellationToken.None);

        Assert.All(result.Recipients, r => Assert.Equal((false, 552, "5.3.4", true), (r.Accepted, r.Reply.Code, r.Reply.EnhancedCode, r.Reply.IsPermanent)));
        Assert.DoesNotContain(receiver.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal) || c == "DATA");
        Assert.True(connection.IsUsable);
    }

    [Fact]
    public async Task SizeIsDeclaredWhenTheServerAnnouncesIt()
    {
        await using var receiver = TestSmtpReceiver.Start(new TestSmtpReceiverOptions { Size = 100_000 });
        var content = Content("sized");
        await using var connection = await OpenAsync(receiver);

        await connection.SendAsync(Message(content, prefix: DkimPrefix), CancellationToken.None);

        Assert.Equal($"SIZE={DkimPrefix.Length + content.Length}", (await receiver.WaitForMessageAsync(Wait)).MailParameters);
    }

    [Theory]
    [InlineData(true, "BODY=8BITMIME")]
    [InlineData(false, "")]
    public async Task EightBitBodyIsDeclaredWhenTheServerOffers8BitMime(bool offered, string parameters)
    {
        await using var receiver = TestSmtpReceiver.Start(new TestSmtpReceiverOptions { EightBitMime = offered });
        var content = Content("Grüße aus Köln\r\n");
        await using var connection = await OpenAsync(receiver);

        var result = await connection.SendAsync(Message(content), CancellationToken.None);

        var received = await receiver.WaitForMessageAsync(Wait);
        Assert.True(result.AllAccepted);
        Assert.Equal(parameters, received.MailParameters);
        Assert.Equal(content, received.Data);
    }

    [Fact]
    public async Task AsciiMessageDeclaresNeither8BitMimeNorSmtpUtf8()
    {
        await using var receiver = TestSmtpReceiver.Start(new TestSmtpReceiverOptions { SmtpUtf8 = true });
        await using var connection = await OpenAsync(receiver);

        await connection.SendAsync(Message(Content("plain ascii")), CancellationToken.None);

        Assert.Equal("", (await receiver.WaitForMessageAsync(Wait)).MailParameters);
    }

    [Theory]
    [InlineData("jörg@receiver.test", "ascii subject")]
    [InlineData("rcpt@receiver.test", "Grüße")]
    public async Task InternationalizedMessageUsesSmtpUtf8WhenOffered(string recipient, string subject)
    {
        await using var receiver = TestSmtpReceiver.Start(new TestSmtpReceiverOptions { SmtpUtf8 = true });
        var content = Content("body\r\n", subject);
        await using var connection = await OpenAsync(receiver);

        var result = await connection.SendAsync(Message(content, [recipient]), CancellationToken.None);

        var received = await receiver.WaitForMessageAsync(Wait);
        Assert.True(result.AllAccepted);
        Assert.Contains("SMTPUTF8", received.MailParameters.Split(' '));
        Assert.Equal([recipient], received.Recipients);
        Assert.Equal(content, received.Data);
    }

    [Theory]
    [InlineData("jörg@receiver.test", "ascii subject")]
    [InlineData("rcpt@receiver.test", "Grüße")]
    public async Task InternationalizedMessageFailsPermanentlyWithoutSmtpUtf8(string recipient, string subject)
    {
        await using var receiver = TestSmtpReceiver.Start(new TestSmtpReceiverOptions { SmtpUtf8 = false });
        await using var connection = await OpenAsync(receiver);

        var result = await connection.SendAsync(Message(Content("body", subject), [recipient]), CancellationToken.None);

        var outcome = Assert.Single(result.Recipients);
        Assert.Equal((false, "5.6.7", true), (outcome.Accepted, outcome.Reply.EnhancedCode, outcome.Reply.IsPermanent));
        Assert.DoesNotContain(receiver.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OneConnectionCarriesSeveralMessages()
    {
        await using var receiver = TestSmtpReceiver.Start();
        await using var connection = await OpenAsync(receiver);

        for (var i = 0; i < 5; i++)
            Assert.True((await connection.SendAsync(Message(Content($"message {i}")), CancellationToken.None)).AllAccepted);

        Assert.Equal(5, receiver.MessageCount);
        Assert.Equal(1, receiver.ConnectionCount);
        Assert.Equal(5, receiver.Messages.Select(m => Encoding.ASCII.GetString(m.Data)).Distinct().Count());
    }

    [Fact]
    public async Task FiftyConcurrentConnectionsAllDeliver()
    {
        await using var receiver = TestSmtpReceiver.Start(new TestSmtpReceiverOptions { Chunking = true });

        await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            await using var connection = await OpenAsync(receiver);
            Assert.True((await connection.SendAsync(Message(Content($"message {i}")), CancellationToken.None)).AllAccepted);
        }));

        Assert.Equal(50, receiver.MessageCount);
        Assert.Equal(50, receiver.ConnectionCount);
    }

    [Fact]
    public void SmtpReplyInfoPrintsAsDiagnosticCode()
    {
        Assert.Equal("550 5.1.1 User unknown", new SmtpReplyInfo(550, "5.1.1", "User unknown").ToString());
        Assert.Equal("451 Try later", new SmtpReplyInfo(451, null, "Try later").ToString());
    }
}
