using System.Text;

namespace Mail.Frontends.Tests.Smtp;

/// <summary>DATA and BDAT over real sockets: what is stored is exactly what was sent, and pipelined replies come in order.</summary>
[Collection(SmtpHostCollection.Name)]
public sealed class SmtpDataTranscriptTests(SmtpHostFixture host)
{
    [Fact]
    public async Task DataStoresTheMessageUnstuffedAndExactlyAsSentAfterTheTraceHeaders()
    {
        var (address, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;
        const string wire =
            "From: Sender <sender@remote.example>\r\n" +
            "To: <RCPT>\r\n" +
            "Subject: dots and bytes\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n" +
            "Content-Transfer-Encoding: 8bit\r\n" +
            "\r\n" +
            "..a line that starts with a dot\r\n" +
            "...two dots\r\n" +
            "..\r\n" +
            "trailing spaces   \r\n" +
            "\r\n" +
            "\tté 8-bit ü\r\n" +
            "last line\r\n";
        var sent = wire.Replace("RCPT", address);

        await using (var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort))
        {
            await smtp.RunAsync($"""
                C: MAIL FROM:<sender@remote.example> BODY=8BITMIME
                S: 250 2.0.0 Ok
                C: RCPT TO:<{address}>
                S: 250 2.0.0 Ok
                C: DATA
                S: 354 End data with <CR><LF>.<CR><LF>
                """);
            await smtp.SendAsync(sent + ".\r\n");
            await smtp.RunAsync("""
                S: 250 2.0.0 Ok: queued as *
                C: QUIT
                S: 221 2.0.0 Bye
                S: <closed>
                """);
        }

        var expected = Encoding.UTF8.GetBytes(sent
            .Replace("\r\n..a line", "\r\n.a line")
            .Replace("\r\n...two", "\r\n..two")
            .Replace("\r\n..\r\n", "\r\n.\r\n"));
        StoredMessages.AssertIsBodyAfterTraceHeaders(await StoredMessages.SingleRawAsync(user), expected, "sender@remote.example", address);
    }

    [Fact]
    public async Task EmptyDataIsStoredAsOnlyTheTraceHeaders()
    {
        var (address, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;

        await using (var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort))
        {
            await smtp.RunAsync($"""
                C: MAIL FROM:<>
                S: 250 2.0.0 Ok
                C: RCPT TO:<{address}>
                S: 250 2.0.0 Ok
                C: DATA
                S: 354 End data with <CR><LF>.<CR><LF>
                C: .
                S: 250 2.0.0 Ok: queued as *
                """);
        }

        StoredMessages.AssertIsBodyAfterTraceHeaders(await StoredMessages.SingleRawAsync(user), [], "", address);
    }

    [Fact]
    public async Task PipelinedTransactionGetsItsRepliesInOrder()
    {
        var (first, firstUser) = await ApiUsers.CreateAsync(host);
        var (second, secondUser) = await ApiUsers.CreateAsync(host);
        using var a = firstUser;
        using var b = secondUser;
        var body = "Subject: pipelined\r\n\r\nhello\r\n";

        await using (var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort))
        {
            await smtp.SendAsync($"MAIL FROM:<sender@remote.example>\r\nRCPT TO:<{first}>\r\nRCPT TO:<nobody@example.test>\r\nRCPT TO:<{second}>\r\nDATA\r\n");
            await smtp.RunAsync("""
                S: 250 2.0.0 Ok
                S: 250 2.0.0 Ok
                S: 550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown
                S: 250 2.0.0 Ok
                S: 354 End data with <CR><LF>.<CR><LF>
                """);
            await smtp.SendAsync(body + ".\r\nQUIT\r\n");
            await smtp.RunAsync("""
                S: 250 2.0.0 Ok: queued as *
                S: 221 2.0.0 Bye
                S: <closed>
                """);
        }

        foreach (var user in new[] { firstUser, secondUser })
        {
            StoredMessages.AssertIsBodyAfterTraceHeaders(await StoredMessages.SingleRawAsync(user), Encoding.ASCII.GetBytes(body), "sender@remote.example", null);
        }
    }

    [Fact]
    public async Task TwoMessagesPipelinedBackToBackOnOneConnectionAreBothStored()
    {
        var (address, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;

        await using (var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort))
        {
            await smtp.SendAsync($"MAIL FROM:<s@remote.example>\r\nRCPT TO:<{address}>\r\nDATA\r\n");
            await smtp.RunAsync("""
                S: 250 2.0.0 Ok
                S: 250 2.0.0 Ok
                S: 354 End data with <CR><LF>.<CR><LF>
                """);
            await smtp.SendAsync($"Subject: one\r\n\r\n1\r\n.\r\nMAIL FROM:<s@remote.example>\r\nRCPT TO:<{address}>\r\nDATA\r\n");
            await smtp.RunAsync("""
                S: 250 2.0.0 Ok: queued as *
                S: 250 2.0.0 Ok
                S: 250 2.0.0 Ok
                S: 354 End data with <CR><LF>.<CR><LF>
                C: Subject: two
                C:
                C: 2
                C: .
                S: 250 2.0.0 Ok: queued as *
                """);
        }

        var subjects = (await ApiUsers.ListAsync(user)).Select(i => i.GetProperty("subject").GetString()!).Order().ToArray();
        Assert.Equal(["one", "two"], subjects);
    }

    [Fact]
    public async Task BdatChunksThenLastStoreTheMessageExactlyWithoutUnstuffing()
    {
        var (address, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;
        var chunk1 = Encoding.UTF8.GetBytes("Subject: chunked\r\n\r\n..dots stay\r");
        var chunk2 = Encoding.UTF8.GetBytes("\n.\r\nbinary-ish \u00e9 and a CRLF split across chunks\r\n");
        var chunk3 = Encoding.UTF8.GetBytes("end\r\n");

        await using (var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort))
        {
            await smtp.RunAsync($"""
                C: MAIL FROM:<sender@remote.example>
                S: 250 2.0.0 Ok
                C: RCPT TO:<{address}>
                S: 250 2.0.0 Ok
                """);
            await smtp.SendAsync([.. Encoding.ASCII.GetBytes($"BDAT {chunk1.Length}\r\n"), .. chunk1]);
            await smtp.ExpectAsync($"250 2.0.0 {chunk1.Length} octets received");
            await smtp.SendAsync([.. Encoding.ASCII.GetBytes($"BDAT {chunk2.Length}\r\n"), .. chunk2, .. Encoding.ASCII.GetBytes($"BDAT {chunk3.Length} LAST\r\n"), .. chunk3]);
            await smtp.ExpectAsync($"250 2.0.0 {chunk2.Length} octets received");
            await smtp.RunAsync("""
                S: 250 2.0.0 Ok: queued as *
                C: NOOP
                S: 250 2.0.0 Ok
                """);
        }

        StoredMessages.AssertIsBodyAfterTraceHeaders(await StoredMessages.SingleRawAsync(user), [.. chunk1, .. chunk2, .. chunk3], "sender@remote.example", address);
    }

    [Fact]
    public async Task BdatZeroLastEndsAChunkedMessage()
    {
        var (address, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;
        var chunk = "Subject: zero last\r\n\r\nbody\r\n"u8.ToArray();

        await using (var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort))
        {
            await smtp.SendAsync([.. Encoding.ASCII.GetBytes($"MAIL FROM:<s@remote.example>\r\nRCPT TO:<{address}>\r\nBDAT {chunk.Length}\r\n"), .. chunk, .. "BDAT 0 LAST\r\n"u8]);
            await smtp.RunAsync($"""
                S: 250 2.0.0 Ok
                S: 250 2.0.0 Ok
                S: 250 2.0.0 {chunk.Length} octets received
                S: 250 2.0.0 Ok: queued as *
                """);
        }

        StoredMessages.AssertIsBodyAfterTraceHeaders(await StoredMessages.SingleRawAsync(user), chunk, "s@remote.example", address);
    }

    [Fact]
    public async Task BdatWithoutMailReturns503AfterTheChunkIsConsumed()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.SendAsync("BDAT 12 LAST\r\nNOOP\r\nNOOP\r\nNOOP\r\n");
        await smtp.RunAsync("""
            S: 503 5.5.1 Error: need MAIL command
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task BdatWithoutRcptReturns503AfterTheChunkIsConsumed()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.SendAsync("MAIL FROM:<s@remote.example>\r\nBDAT 6\r\nQUIT\r\nRSET\r\n");
        await smtp.RunAsync("""
            S: 250 2.0.0 Ok
            S: 503 5.5.1 Error: need RCPT command
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task DataAfterBdatReturns503AndRsetStartsOver()
    {
        var (address, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;

        await using (var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort))
        {
            await smtp.SendAsync($"MAIL FROM:<s@remote.example>\r\nRCPT TO:<{address}>\r\nBDAT 5\r\nhelloDATA\r\n");
            await smtp.RunAsync($"""
                S: 250 2.0.0 Ok
                S: 250 2.0.0 Ok
                S: 250 2.0.0 5 octets received
                S: 503 5.5.1 Error: DATA cannot follow BDAT
                C: RSET
                S: 250 2.0.0 Ok
                C: MAIL FROM:<s@remote.example>
                S: 250 2.0.0 Ok
                C: RCPT TO:<{address}>
                S: 250 2.0.0 Ok
                C: DATA
                S: 354 End data with <CR><LF>.<CR><LF>
                C: Subject: after rset
                C:
                C: .
                S: 250 2.0.0 Ok: queued as *
                """);
        }

        var item = Assert.Single(await ApiUsers.ListAsync(user));
        Assert.Equal("after rset", item.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task BdatWithABadSizeReturns501AndClosesBecauseTheStreamCannotBeResynchronised()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        await smtp.RunAsync("""
            C: BDAT lots
            S: 501 5.5.4 Syntax: BDAT size [LAST]
            S: <closed>
            """);
    }
}
