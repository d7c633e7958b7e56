using System.Text;

namespace Mail.Frontends.Tests.Smtp;

/// <summary>
/// SMTP smuggling (CVE-2023-51764 family): an end-of-data line made of anything but CRLF "." CRLF, or any
/// bare LF/CR in DATA or BDAT content, ends the session with 521 before a second, smuggled message can be read.
/// </summary>
[Collection(SmtpHostCollection.Name)]
public sealed class SmtpSmugglingTests(SmtpHostFixture host)
{
    [Theory]
    [InlineData("Subject: a\r\n\r\nhello\n.\nMAIL FROM:<admin@example.test>\r\nRCPT TO:<VICTIM>\r\nDATA\r\nSubject: smuggled\r\n\r\nx\r\n.\r\n", "<LF>")]
    [InlineData("Subject: a\r\n\r\nhello\r\n.\nMAIL FROM:<admin@example.test>\r\nRCPT TO:<VICTIM>\r\nDATA\r\nSubject: smuggled\r\n\r\nx\r\n.\r\n", "<LF>")]
    [InlineData("Subject: a\r\n\r\nhello\n.\r\nMAIL FROM:<admin@example.test>\r\nRCPT TO:<VICTIM>\r\nDATA\r\nSubject: smuggled\r\n\r\nx\r\n.\r\n", "<LF>")]
    [InlineData("Subject: a\r\n\r\nfirst line\nsecond line\r\n.\r\n", "<LF>")]
    [InlineData("Subject: a\r\n\r\nhello\r.\rMAIL FROM:<admin@example.test>\r\nRCPT TO:<VICTIM>\r\nDATA\r\nSubject: smuggled\r\n\r\nx\r\n.\r\n", "<CR>")]
    [InlineData("Subject: a\r\n\r\nhello\r\n.\rMAIL FROM:<admin@example.test>\r\nRCPT TO:<VICTIM>\r\nDATA\r\nSubject: smuggled\r\n\r\nx\r\n.\r\n", "<CR>")]
    public async Task BareLineEndInDataReturns521ClosesAndStoresNothing(string body, string what)
    {
        var (victim, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;

        await using (var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort))
        {
            await smtp.RunAsync($"""
                C: MAIL FROM:<sender@remote.example>
                S: 250 2.0.0 Ok
                C: RCPT TO:<{victim}>
                S: 250 2.0.0 Ok
                C: DATA
                S: 354 End data with <CR><LF>.<CR><LF>
                """);
            await smtp.SendAsync(body.Replace("VICTIM", victim));
            await smtp.RunAsync($"""
                S: 521 5.5.2 localhost Error: bare {what} received
                S: <closed>
                """);
        }

        Assert.Empty(await ApiUsers.ListAsync(user));
        await using var fresh = await SmtpTranscript.OpenAsync(host.SmtpPort);
        await fresh.RunAsync($"""
            C: HELO client.example
            S: 250 localhost
            C: MAIL FROM:<sender@remote.example>
            S: 250 2.0.0 Ok
            C: RCPT TO:<{victim}>
            S: 250 2.0.0 Ok
            """);
    }

    [Fact]
    public async Task SmuggledEndOfDataSplitAcrossWritesIsStillRefused()
    {
        var (victim, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;

        await using (var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort))
        {
            await smtp.SendAsync($"MAIL FROM:<sender@remote.example>\r\nRCPT TO:<{victim}>\r\nDATA\r\n");
            await smtp.RunAsync("""
                S: 250 2.0.0 Ok
                S: 250 2.0.0 Ok
                S: 354 End data with <CR><LF>.<CR><LF>
                """);
            await smtp.SendAsync("Subject: a\r\n\r\nhello\r\n");
            await Task.Delay(50);
            await smtp.SendAsync(".");
            await Task.Delay(50);
            await smtp.SendAsync($"\nMAIL FROM:<admin@example.test>\r\nRCPT TO:<{victim}>\r\nDATA\r\nSubject: smuggled\r\n\r\nx\r\n.\r\n");
            await smtp.RunAsync("""
                S: 521 5.5.2 localhost Error: bare <LF> received
                S: <closed>
                """);
        }

        Assert.Empty(await ApiUsers.ListAsync(user));
    }

    [Fact]
    public async Task ProperlyEndedMessageFollowedByPipelinedCommandsIsNotSmuggling()
    {
        var (recipient, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;

        await using (var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort))
        {
            await smtp.SendAsync($"MAIL FROM:<sender@remote.example>\r\nRCPT TO:<{recipient}>\r\nDATA\r\n");
            await smtp.RunAsync("""
                S: 250 2.0.0 Ok
                S: 250 2.0.0 Ok
                S: 354 End data with <CR><LF>.<CR><LF>
                """);
            await smtp.SendAsync("Subject: only\r\n\r\nx\r\n.\r\nNOOP\r\nQUIT\r\n");
            await smtp.RunAsync("""
                S: 250 2.0.0 Ok: queued as *
                S: 250 2.0.0 Ok
                S: 221 2.0.0 Bye
                S: <closed>
                """);
        }

        var item = Assert.Single(await ApiUsers.ListAsync(user));
        Assert.Equal("only", item.GetProperty("subject").GetString());
    }

    [Theory]
    [InlineData("Subject: a\r\n\r\nhello\n.\nMAIL FROM:<admin@example.test>\r\n", "<LF>")]
    [InlineData("Subject: a\r\n\r\nhello\r.\rMAIL FROM:<admin@example.test>\r\n", "<CR>")]
    [InlineData("Subject: a\r\n\r\nhello\r\n|\nsecond chunk starts with a bare LF\r\n", "<LF>")]
    [InlineData("Subject: a\r\n\r\nhello\r|x\r\n", "<CR>")]
    [InlineData("Subject: a\r\n\r\nhello\r|", "<CR>")]
    public async Task BareLineEndInBdatReturns521ClosesAndStoresNothing(string bdatChunks, string what)
    {
        var chunks = bdatChunks.Split('|');
        var (victim, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;

        await using (var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort))
        {
            await smtp.RunAsync($"""
                C: MAIL FROM:<sender@remote.example>
                S: 250 2.0.0 Ok
                C: RCPT TO:<{victim}>
                S: 250 2.0.0 Ok
                """);
            for (var i = 0; i < chunks.Length; i++)
            {
                var chunk = Encoding.UTF8.GetBytes(chunks[i]);
                var last = i == chunks.Length - 1;
                await smtp.SendAsync([.. Encoding.ASCII.GetBytes($"BDAT {chunk.Length}{(last ? " LAST" : "")}\r\n"), .. chunk]);
                if (!last) await smtp.ExpectAsync($"250 2.0.0 {chunk.Length} octets received");
            }
            await smtp.RunAsync($"""
                S: 521 5.5.2 localhost Error: bare {what} received
                S: <closed>
                """);
        }

        Assert.Empty(await ApiUsers.ListAsync(user));
    }
}
