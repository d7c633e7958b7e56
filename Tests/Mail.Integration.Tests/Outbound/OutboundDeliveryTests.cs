using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MailKit.Net.Smtp;
using MimeKit;
using Npgsql;

namespace Mail.Integration.Tests.Outbound;

/// <summary>
/// Mail to other domains leaves through MX lookup, DKIM-signed, over STARTTLS, and every failure comes back to
/// the sender as a DSN; all against a DNS server, SMTP receivers and an MTA-STS server the tests run on loopback.
/// </summary>
public sealed class OutboundDeliveryTests(OutboundHostFixture host) : IClassFixture<OutboundHostFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RemoteMailGoesOutThroughMxSignedOverTlsFromAVerpReturnPath()
    {
        var receiver = host.AddDomain("remote1.test", "127.0.0.21");
        var (sender, client) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(client, new { to = new[] { "carol@remote1.test" }, subject = "out we go", text = "hello over there" });

        var received = await receiver.WaitForMessageAsync(Wait);
        Assert.Equal(["carol@remote1.test"], received.Recipients);
        Assert.True(received.Tls, "STARTTLS was offered and must be used");
        Assert.Equal(OutboundHostFixture.Hostname, received.EhloName);
        Assert.StartsWith("bounces+", received.MailFrom);
        Assert.EndsWith("@example.test", received.MailFrom);
        var text = Encoding.UTF8.GetString(received.Data);
        Assert.StartsWith("DKIM-Signature:", text);
        Assert.Contains("Subject: out we go", text);
        Assert.Contains($"From: {sender}", text);

        var records = await OutboundProbe.DkimRecordsAsync(host, "example.test");
        Assert.Equal(new[] { true }, await PythonDkim.VerifyAsync(received.Data, records));
        var delivered = await OutboundProbe.WaitForStateAsync(client, "carol@remote1.test", "delivered");
        Assert.StartsWith("250", delivered.GetProperty("last_reply").GetString());
        Assert.Equal("mx.remote1.test", delivered.GetProperty("remote_mta").GetString());
    }

    [Fact]
    public async Task RecipientsAtOneDomainShareOneTransaction()
    {
        var receiver = host.AddDomain("remote2.test", "127.0.0.22");
        var (_, client) = await ApiUsers.CreateAsync(host);
        string[] to = ["a@remote2.test", "b@remote2.test", "c@remote2.test"];
        await ApiUsers.SendAsync(client, new { to, subject = "three", text = "x" });

        var received = await receiver.WaitForMessageAsync(Wait);
        Assert.Equal(to.Order(), received.Recipients.Order());
        foreach (var r in to) await OutboundProbe.WaitForStateAsync(client, r, "delivered");
        Assert.Equal(1, receiver.MessageCount);
    }

    [Fact]
    public async Task ABurstToOneDomainLooksItsRouteUpOnce()
    {
        var receiver = host.AddDomain("remote11.test", "127.0.0.33");
        var (_, client) = await ApiUsers.CreateAsync(host);
        for (var i = 0; i < 5; i++) await ApiUsers.SendAsync(client, new { to = new[] { $"r{i}@remote11.test" }, subject = $"burst {i}", text = "x" });

        for (var i = 0; i < 5; i++) await OutboundProbe.WaitForStateAsync(client, $"r{i}@remote11.test", "delivered");
        Assert.Equal(5, receiver.MessageCount);
        // The scheduler and the destination share the route cache: one MX lookup (two if both missed at once), not one per message.
        Assert.InRange(host.Dns.Queries("remote11.test", "MX"), 1, 2);
    }

    [Fact]
    public async Task TheNextMxIsTriedWhenThePreferredOneIsDown()
    {
        host.Dns.AddMx("remote3.test", 10, "mx-a.remote3.test").AddA("mx-a.remote3.test", "127.0.0.23")
                .AddMx("remote3.test", 20, "mx-b.remote3.test").AddA("mx-b.remote3.test", "127.0.0.24");
        var backup = host.StartReceiver("127.0.0.24", "mx-b.remote3.test");
        var (_, client) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(client, new { to = new[] { "d@remote3.test" }, subject = "fallback", text = "x" });

        await backup.WaitForMessageAsync(Wait);
        var row = await OutboundProbe.WaitForStateAsync(client, "d@remote3.test", "delivered");
        Assert.Equal("mx-b.remote3.test", row.GetProperty("remote_mta").GetString());
    }

    [Fact]
    public async Task NullMxBouncesAtOnceWithStatus5110()
    {
        host.Dns.AddMx("nullmx.test", 0, ".");
        var (sender, client) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(client, new { to = new[] { "e@nullmx.test" }, subject = "nowhere", text = "x" });

        var row = await OutboundProbe.WaitForStateAsync(client, "e@nullmx.test", "failed");
        Assert.Equal("5.1.10", row.GetProperty("status_code").GetString());
        var (_, recipient) = OutboundProbe.StatusFields(await OutboundProbe.WaitForDsnAsync(client));
        Assert.Equal("failed", recipient["Action"]);
        Assert.Equal("5.1.10", recipient["Status"]);
        Assert.Equal("rfc822; e@nullmx.test", recipient["Final-Recipient"]);
        Assert.NotNull(sender);
    }

    [Fact]
    public async Task UnknownDomainBouncesWithStatus512()
    {
        var (_, client) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(client, new { to = new[] { "f@no-such-domain.test" }, subject = "nxdomain", text = "x" });

        var row = await OutboundProbe.WaitForStateAsync(client, "f@no-such-domain.test", "failed");
        Assert.Equal("5.1.2", row.GetProperty("status_code").GetString());
        var (_, recipient) = OutboundProbe.StatusFields(await OutboundProbe.WaitForDsnAsync(client));
        Assert.Equal("5.1.2", recipient["Status"]);
    }

    [Fact]
    public async Task ARefusedRecipientGetsADsnWithTheRemoteReplyFieldByField()
    {
        var receiver = host.AddDomain("remote4.test", "127.0.0.25");
        receiver.RejectRecipient("gone@remote4.test");
        var (sender, client) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(client, new { to = new[] { "gone@remote4.test", "here@remote4.test" }, subject = "half of it", text = "x" });

        await OutboundProbe.WaitForStateAsync(client, "here@remote4.test", "delivered");
        await OutboundProbe.WaitForStateAsync(client, "gone@remote4.test", "failed");
        var dsn = await OutboundProbe.WaitForDsnAsync(client);
        Assert.Equal(sender, dsn.To.Mailboxes.Single().Address);
        Assert.Equal($"MAILER-DAEMON@{OutboundHostFixture.Hostname}", dsn.From.Mailboxes.Single().Address);
        Assert.Equal("auto-replied", dsn.Headers["Auto-Submitted"]);
        var (message, recipient) = OutboundProbe.StatusFields(dsn);
        Assert.Equal($"dns; {OutboundHostFixture.Hostname}", message["Reporting-MTA"]);
        Assert.NotNull(message["Arrival-Date"]);
        Assert.Equal("rfc822; gone@remote4.test", recipient["Final-Recipient"]);
        Assert.Equal("failed", recipient["Action"]);
        Assert.Equal("5.1.1", recipient["Status"]);
        Assert.Equal("dns; mx.remote4.test", recipient["Remote-MTA"]);
        Assert.Equal("smtp; 550 5.1.1 User unknown", recipient["Diagnostic-Code"]);
        Assert.NotNull(recipient["Last-Attempt-Date"]);
        var report = Assert.IsType<MultipartReport>(dsn.Body);
        Assert.Equal(2, ((MessageDeliveryStatus)report[1]).StatusGroups.Count);
        Assert.Equal("half of it", Assert.IsType<TextRfc822Headers>(report[2]).Message?.Subject);
    }

    [Fact]
    public async Task ADeferredRecipientWaitsWithItsReplyAndGoesOutWhenRetried()
    {
        var receiver = host.AddDomain("remote5.test", "127.0.0.26");
        receiver.DeferRecipient("later@remote5.test");
        var (_, client) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(client, new { to = new[] { "later@remote5.test" }, subject = "wait", text = "x" });

        var deferred = await OutboundProbe.WaitForStateAsync(client, "later@remote5.test", "deferred");
        Assert.StartsWith("451", deferred.GetProperty("last_reply").GetString());
        Assert.True(deferred.GetProperty("next_attempt_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(30));
        Assert.Equal(1, deferred.GetProperty("attempts").GetInt32());

        receiver.ClearRecipientRules();
        using var admin = host.CreateAdminClient();
        var retry = await admin.PostAsync($"/v1/admin/outbound/{deferred.GetProperty("id").GetInt64()}/retry", null);
        Assert.Equal(System.Net.HttpStatusCode.OK, retry.StatusCode);
        await receiver.WaitForMessageAsync(Wait);
        await OutboundProbe.WaitForStateAsync(client, "later@remote5.test", "delivered");
    }

    [Fact]
    public async Task AMessageOverTheReceiversSizeBouncesBeforeData()
    {
        var receiver = host.AddDomain("remote6.test", "127.0.0.27", size: 2000);
        var (_, client) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(client, new { to = new[] { "h@remote6.test" }, subject = "big", text = new string('x', 8000) });

        var row = await OutboundProbe.WaitForStateAsync(client, "h@remote6.test", "failed");
        Assert.Equal("5.3.4", row.GetProperty("status_code").GetString());
        Assert.DoesNotContain(receiver.Commands, c => c.StartsWith("DATA", StringComparison.OrdinalIgnoreCase) || c.StartsWith("BDAT", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("5.3.4", OutboundProbe.StatusFields(await OutboundProbe.WaitForDsnAsync(client)).Recipient["Status"]);
    }

    [Fact]
    public async Task MtaStsEnforceRefusesAnMxWithoutTls()
    {
        var receiver = host.AddDomain("sts.test", "127.0.0.28", tls: false);
        host.Dns.AddTxt("_mta-sts.sts.test", "v=STSv1; id=20261130").AddA("mta-sts.sts.test", "127.0.0.1");
        host.MtaSts.SetPolicy("sts.test", "enforce", 86400, "mx.sts.test");
        var (_, client) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(client, new { to = new[] { "i@sts.test" }, subject = "secure only", text = "x" });

        var row = await OutboundProbe.WaitForStateAsync(client, "i@sts.test", "deferred");
        Assert.Contains("TLS", row.GetProperty("last_reply").GetString());
        Assert.Equal(0, receiver.MessageCount);
        Assert.True(host.MtaSts.Fetches("sts.test") >= 1);
    }

    [Fact]
    public async Task ABounceFromALaterHopToTheVerpAddressFailsTheRecipientAndTellsTheSender()
    {
        var receiver = host.AddDomain("remote7.test", "127.0.0.29");
        var (sender, client) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(client, new { to = new[] { "j@remote7.test" }, subject = "accepted then bounced", text = "x" });
        var received = await receiver.WaitForMessageAsync(Wait);
        await OutboundProbe.WaitForStateAsync(client, "j@remote7.test", "delivered");

        var bounce = MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(
            $"From: MAILER-DAEMON@mx.remote7.test\r\nTo: {received.MailFrom}\r\nSubject: Undelivered Mail\r\n" +
            "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n" +
            "--b\r\nContent-Type: text/plain\r\n\r\nThe mailbox is gone.\r\n" +
            "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; inner.remote7.test\r\n\r\n" +
            "Final-Recipient: rfc822; j@remote7.test\r\nAction: failed\r\nStatus: 5.1.1\r\n" +
            "Remote-MTA: dns; inner.remote7.test\r\nDiagnostic-Code: smtp; 550 5.1.1 mailbox disabled\r\n\r\n--b--\r\n")));
        using (var smtp = new SmtpClient())
        {
            await smtp.ConnectAsync("127.0.0.1", host.SmtpPort, MailKit.Security.SecureSocketOptions.None);
            await smtp.SendAsync(bounce, new MailboxAddress("", ""), [MailboxAddress.Parse(received.MailFrom)]);
            await smtp.DisconnectAsync(true);
        }

        var row = await OutboundProbe.WaitForStateAsync(client, "j@remote7.test", "failed");
        Assert.Equal("5.1.1", row.GetProperty("status_code").GetString());
        var (_, recipient) = OutboundProbe.StatusFields(await OutboundProbe.WaitForDsnAsync(client));
        Assert.Equal("smtp; 550 5.1.1 mailbox disabled", recipient["Diagnostic-Code"]);
        Assert.NotNull(sender);
    }

    [Fact]
    public async Task TheMxRefusesOtherUnknownAddressesThatLookLikeVerp()
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", host.SmtpPort, MailKit.Security.SecureSocketOptions.None);
        var message = new MimeMessage { Subject = "probe", Body = new TextPart("plain") { Text = "x" } };
        message.From.Add(MailboxAddress.Parse("x@elsewhere.test"));
        var error = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            smtp.SendAsync(message, MailboxAddress.Parse("x@elsewhere.test"), [MailboxAddress.Parse("bounces+not-a-token!@example.test")]));
        Assert.Equal(SmtpStatusCode.MailboxUnavailable, error.StatusCode);
    }

    [Fact]
    public async Task ACancelledRecipientIsNeverSentAndTheSenderIsTold()
    {
        var receiver = host.AddDomain("remote8.test", "127.0.0.30");
        receiver.DeferRecipient("k@remote8.test");
        var (_, client) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(client, new { to = new[] { "k@remote8.test" }, subject = "never mind", text = "x" });
        var deferred = await OutboundProbe.WaitForStateAsync(client, "k@remote8.test", "deferred");

        using var admin = host.CreateAdminClient();
        var cancel = await admin.PostAsync($"/v1/admin/outbound/{deferred.GetProperty("id").GetInt64()}/cancel", null);
        Assert.Equal(System.Net.HttpStatusCode.OK, cancel.StatusCode);
        await OutboundProbe.WaitForStateAsync(client, "k@remote8.test", "cancelled");
        Assert.Equal(System.Net.HttpStatusCode.Conflict,
            (await admin.PostAsync($"/v1/admin/outbound/{deferred.GetProperty("id").GetInt64()}/cancel", null)).StatusCode);
        var listed = await admin.GetFromJsonAsync<JsonElement[]>("/v1/admin/outbound?state=cancelled&domain=remote8.test");
        Assert.Contains(listed!, r => r.GetProperty("recipient").GetString() == "k@remote8.test");
        Assert.Equal("5.0.0", OutboundProbe.StatusFields(await OutboundProbe.WaitForDsnAsync(client)).Recipient["Status"]);
    }

    [Fact]
    public async Task ARecipientStillDeferredWhenItsLifetimeEndsBouncesWithTheLastReply()
    {
        var receiver = host.AddDomain("remote9.test", "127.0.0.31");
        receiver.DeferRecipient("l@remote9.test");
        var (_, client) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(client, new { to = new[] { "l@remote9.test" }, subject = "too late", text = "x" });
        var deferred = await OutboundProbe.WaitForStateAsync(client, "l@remote9.test", "deferred");

        // The queue lifetime ran out while it waited: the next attempt is the last.
        await using (var connection = new NpgsqlConnection(host.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var expire = new NpgsqlCommand(
                "UPDATE outbound_queue SET expires_at = now() - interval '1 minute', next_attempt_at = now() WHERE id = @id; NOTIFY outbound_queue", connection);
            expire.Parameters.AddWithValue("id", deferred.GetProperty("id").GetInt64());
            await expire.ExecuteNonQueryAsync();
        }

        var failed = await OutboundProbe.WaitForStateAsync(client, "l@remote9.test", "failed");
        Assert.Equal(2, failed.GetProperty("attempts").GetInt32());
        var (_, recipient) = OutboundProbe.StatusFields(await OutboundProbe.WaitForDsnAsync(client));
        Assert.Equal("failed", recipient["Action"]);
        Assert.StartsWith("smtp; 451", recipient["Diagnostic-Code"]);
    }

    [Fact]
    public async Task LocalRecipientsOfTheSameMessageAreNotQueued()
    {
        var receiver = host.AddDomain("remote10.test", "127.0.0.32");
        var (_, client) = await ApiUsers.CreateAsync(host);
        var (local, localClient) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(client, new { to = new[] { "m@remote10.test", local }, subject = "mixed", text = "x" });

        var received = await receiver.WaitForMessageAsync(Wait);
        Assert.Equal(["m@remote10.test"], received.Recipients);
        var rows = await client.GetFromJsonAsync<JsonElement[]>("/v1/outbound");
        Assert.DoesNotContain(rows!, r => r.GetProperty("recipient").GetString() == local);
        Assert.Single(await ApiUsers.ListAsync(localClient));
    }
}
