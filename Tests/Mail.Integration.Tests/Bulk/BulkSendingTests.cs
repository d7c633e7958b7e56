using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mail.Integration.Tests.Outbound;
using MimeKit;
using Npgsql;

namespace Mail.Integration.Tests.Bulk;

/// <summary>
/// Bulk sending through the real host: tenant keys, a job streamed in and stored before 202, every message personalised,
/// DKIM-signed (verified by python3-dkim) over its one-click unsubscribe fields, delivered to SMTP receivers on loopback;
/// unsubscribe suppressing the next job's recipient; counts, cancellation and refusals.
/// </summary>
public sealed class BulkSendingTests(BulkHostFixture host) : IClassFixture<BulkHostFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AJobArrivesPersonalisedAndSignedOverItsOneClickUnsubscribeFields()
    {
        var tenant = await host.AddSendingDomainAsync("bulk1.test");
        var receiver = host.AddDomain("rcpt1.test", "127.0.0.41");
        using var client = await host.TenantClientAsync(tenant);
        const int count = 300;
        var recipients = Enumerable.Range(0, count).Select(i => new
        {
            to = $"r{i}@rcpt1.test",
            vars = new Dictionary<string, object> { ["name"] = i == 7 ? "<script>alert(1)</script> & co" : $"Name{i}", ["n"] = i },
        }).ToArray();

        var id = await CreateJobAsync(client, new
        {
            from = "Shop News <news@bulk1.test>",
            subject = "Hello {{name}} #{{n}}",
            text = "Dear {{name}},\nyour number is {{n}}.\nUnsubscribe: {{unsubscribe_url}}",
            html = "<p>Dear <b>{{name}}</b>, number {{n}}.</p><a href=\"{{unsubscribe_url}}\">unsubscribe</a>",
            @class = "marketing",
            recipients,
        });

        var messages = await ReceiveAsync(receiver, count);
        Assert.Equal(count, messages.Select(m => m.Recipients.Single()).Distinct().Count());
        var records = await OutboundProbe.DkimRecordsAsync(host, "bulk1.test");
        var verified = 0;
        foreach (var received in messages)
        {
            var message = MimeMessage.Load(new MemoryStream(received.Data));
            var i = int.Parse(received.Recipients.Single()[1..^"@rcpt1.test".Length]);
            var name = i == 7 ? "<script>alert(1)</script> & co" : $"Name{i}";
            Assert.Equal($"r{i}@rcpt1.test", message.To.Mailboxes.Single().Address);
            Assert.Equal("news@bulk1.test", message.From.Mailboxes.Single().Address);
            Assert.Equal("Shop News", message.From.Mailboxes.Single().Name);
            Assert.Equal($"Hello {name} #{i}", message.Subject);
            Assert.Contains($"Dear {name},\nyour number is {i}.", message.TextBody!.ReplaceLineEndings("\n"));
            Assert.StartsWith("bounces+", received.MailFrom);
            Assert.EndsWith("@bulk1.test", received.MailFrom);

            // RFC 8058 §3.1: an HTTPS URI and a mailto, List-Unsubscribe-Post, both under the DKIM signature (h=).
            var unsubscribe = message.Headers["List-Unsubscribe"]!;
            var url = UnsubscribeUrl(message);
            Assert.Matches(@"^https://mx\.mail\.test/v1/unsubscribe/[0-9a-v]+$", url);
            var token = url[(url.LastIndexOf('/') + 1)..];
            Assert.Equal($"<{url}>, <mailto:unsubscribe+{token}@bulk1.test>", unsubscribe.ReplaceLineEndings("").Replace("\t", " ").Trim());
            Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
            Assert.Contains(url, message.TextBody!);
            Assert.Contains($"href=\"{url}\"", message.HtmlBody);
            var signedFields = message.Headers["DKIM-Signature"]!.Replace(" ", "").Replace("\r\n", "").Replace("\t", "")
                .Split(';').Single(t => t.StartsWith("h=", StringComparison.Ordinal))[2..].ToLowerInvariant().Split(':');
            Assert.Contains("list-unsubscribe", signedFields);
            Assert.Contains("list-unsubscribe-post", signedFields);
            Assert.Contains("subject", signedFields);

            if (i == 7)
            {
                Assert.Contains("Dear <b>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</b>", message.HtmlBody);
                Assert.DoesNotContain("<script>", message.HtmlBody);
            }
            // python3-dkim (dkimpy) is slow to start: verify the escaped one and a spread of others.
            if (i == 7 || i % 50 == 0)
            {
                Assert.Equal(new[] { true }, await PythonDkim.VerifyAsync(received.Data, records));
                verified++;
            }
        }
        Assert.Equal(7, verified);

        var status = await WaitForJobAsync(client, id, s => s.GetProperty("state").GetString() == "completed");
        Assert.Equal(count, status.GetProperty("recipients").GetInt32());
        Assert.Equal(count, Count(status, "delivered"));
        Assert.Equal(1.0, status.GetProperty("progress").GetDouble());
        Assert.Equal("marketing", status.GetProperty("class").GetString());

        // Each queued message says whose it is and its class, which the pool rules and reputation counters read.
        await using var db = NpgsqlDataSource.Create(host.Database.ConnectionString);
        await using var rows = db.CreateCommand(
            "SELECT DISTINCT tenant_id, sending_domain, stream_class FROM outbound_queue WHERE bulk_job_id = @id");
        rows.Parameters.AddWithValue("id", Guid.Parse(id));
        await using var reader = await rows.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((tenant, "bulk1.test", "marketing"), (reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public async Task OneClickUnsubscribeSuppressesTheRecipientAndTheNextJobSkipsIt()
    {
        var tenant = await host.AddSendingDomainAsync("bulk2.test");
        var receiver = host.AddDomain("rcpt2.test", "127.0.0.42");
        using var client = await host.TenantClientAsync(tenant);
        object Job() => new
        {
            from = "news@bulk2.test", subject = "Weekly", text = "news", @class = "marketing",
            recipients = new[] { new { to = "ann@rcpt2.test" }, new { to = "bob@rcpt2.test" }, new { to = "cy@rcpt2.test" } },
        };
        await CreateJobAsync(client, Job());
        var first = await ReceiveAsync(receiver, 3);
        var bob = MimeMessage.Load(new MemoryStream(first.Single(m => m.Recipients.Single() == "bob@rcpt2.test").Data));
        var path = new Uri(UnsubscribeUrl(bob)).AbsolutePath;

        // Nothing but the URL: no key, no token, no cookie (RFC 8058 §3.2).
        using var anonymous = host.CreateClient();
        var page = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("bob@rcpt2.test", html);
        Assert.Contains("<form method=\"post\">", html);
        Assert.Contains("name=\"List-Unsubscribe\" value=\"One-Click\"", html);
        Assert.Contains("form-action 'self'", page.Headers.GetValues("Content-Security-Policy").Single());

        // A GET alone (a link scanner) unsubscribes nobody; a wrong body or a forged token does nothing either.
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.PostAsync(path, Form("List-Unsubscribe", "Yes"))).StatusCode);
        var forged = path[..^1] + (path[^1] == '0' ? '1' : '0');
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync(forged, Form("List-Unsubscribe", "One-Click"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(forged)).StatusCode);

        var done = await anonymous.PostAsync(path, Form("List-Unsubscribe", "One-Click"));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.False(done.Headers.Contains("Set-Cookie"));
        Assert.Contains("bob@rcpt2.test", await done.Content.ReadAsStringAsync());

        var second = await CreateJobAsync(client, Job());
        var status = await WaitForJobAsync(client, second, s => s.GetProperty("state").GetString() == "completed");
        Assert.Equal(1, Count(status, "suppressed"));
        Assert.Equal(2, Count(status, "delivered"));
        var again = await ReceiveAsync(receiver, 2);
        Assert.Equal(["ann@rcpt2.test", "cy@rcpt2.test"], again.Select(m => m.Recipients.Single()).Order());
        await Task.Delay(500);
        Assert.Equal(5, receiver.MessageCount);
    }

    [Fact]
    public async Task MailToTheUnsubscribeAddressAtOurMxSuppressesWhomTheTokenNames()
    {
        var tenant = await host.AddSendingDomainAsync("bulk7.test");
        var receiver = host.AddDomain("rcpt7.test", "127.0.0.44");
        using var client = await host.TenantClientAsync(tenant);
        object Job() => new
        {
            from = "news@bulk7.test", subject = "Weekly", html = "<p>news</p>", @class = "marketing",
            recipients = new[] { new { to = "dee@rcpt7.test" }, new { to = "eve@rcpt7.test" } },
        };
        await CreateJobAsync(client, Job());
        var first = await ReceiveAsync(receiver, 2);
        var dee = MimeMessage.Load(new MemoryStream(first.Single(m => m.Recipients.Single() == "dee@rcpt7.test").Data));
        var mailto = dee.Headers["List-Unsubscribe"]!.Split("<mailto:")[1].Split('>')[0];
        Assert.StartsWith("unsubscribe+", mailto);
        Assert.EndsWith("@bulk7.test", mailto);

        using (var smtp = new MailKit.Net.Smtp.SmtpClient())
        {
            await smtp.ConnectAsync("127.0.0.1", host.SmtpPort, MailKit.Security.SecureSocketOptions.None);
            var request = new MimeMessage { Subject = "unsubscribe", Body = new TextPart("plain") { Text = "" } };
            request.From.Add(MailboxAddress.Parse("someone@elsewhere.test"));
            // A forged token is an unknown user; a case-folded real one still works (RFC 5321 lets relays fold local parts).
            var forged = await Assert.ThrowsAsync<MailKit.Net.Smtp.SmtpCommandException>(() =>
                smtp.SendAsync(request, MailboxAddress.Parse("someone@elsewhere.test"), [MailboxAddress.Parse("unsubscribe+0123456789abcdefghij@bulk7.test")]));
            Assert.Equal(MailKit.Net.Smtp.SmtpStatusCode.MailboxUnavailable, forged.StatusCode);
            await smtp.SendAsync(request, MailboxAddress.Parse("someone@elsewhere.test"), [MailboxAddress.Parse(mailto.ToUpperInvariant())]);
            await smtp.DisconnectAsync(true);
        }

        var second = await CreateJobAsync(client, Job());
        var status = await WaitForJobAsync(client, second, s => s.GetProperty("state").GetString() == "completed");
        Assert.Equal(1, Count(status, "suppressed"));
        Assert.Equal("eve@rcpt7.test", (await receiver.WaitForMessageAsync(Wait)).Recipients.Single());
    }

    [Fact]
    public async Task GetShowsTheCountsAndDeleteCancelsWhatHasNotGoneOut()
    {
        var tenant = await host.AddSendingDomainAsync("bulk3.test");
        // An MX nobody answers on: every attempt is deferred, so nothing goes out before the cancellation.
        host.Dns.AddMx("down3.test", 10, "mx.down3.test").AddA("mx.down3.test", "127.0.0.43");
        using var client = await host.TenantClientAsync(tenant);
        const int count = 3000;
        var id = await CreateJobAsync(client, new
        {
            from = "news@bulk3.test", subject = "s", text = "t", @class = "transactional",
            recipients = Enumerable.Range(0, count).Select(i => new { to = $"r{i}@down3.test" }).ToArray(),
        });

        var cancel = await client.DeleteAsync($"/v1/bulk/{id}");
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var cancelled = await cancel.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("cancelled", cancelled.GetProperty("state").GetString());
        Assert.Equal(0, Count(cancelled, "pending"));
        Assert.True(Count(cancelled, "cancelled") > 0);

        // Messages that were being tried at that moment come back deferred and are cancelled by the next sweep.
        var status = await WaitForJobAsync(client, id, s => Count(s, "cancelled") == count);
        Assert.Equal(1.0, status.GetProperty("progress").GetDouble());
        Assert.Equal(0, Count(status, "queued") + Count(status, "deferred") + Count(status, "delivered"));
        await using var db = NpgsqlDataSource.Create(host.Database.ConnectionString);
        await using var command = db.CreateCommand("SELECT count(*) FROM outbound_queue WHERE bulk_job_id = @id AND status = 'queued'");
        command.Parameters.AddWithValue("id", Guid.Parse(id));
        Assert.Equal(0L, await command.ExecuteScalarAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/bulk/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/v1/bulk/not-a-job")).StatusCode);
    }

    [Fact]
    public async Task ADomainWithoutVerifiedSpfDkimAndDmarcMayNotSendBulk()
    {
        var tenant = await host.AddSendingDomainAsync("bulk4.test", verified: false);
        using var client = await host.TenantClientAsync(tenant);

        var response = await client.PostAsJsonAsync("/v1/bulk", new
        {
            from = "news@bulk4.test", subject = "s", text = "t", @class = "marketing", recipients = new[] { new { to = "a@rcpt4.test" } },
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("SPF is unverified, DKIM unverified, DMARC unverified", detail);
        Assert.Equal(0L, await JobsOfAsync(tenant));

        // Another tenant's domain is refused too.
        var other = await host.AddSendingDomainAsync("bulk4b.test");
        var foreign = await client.PostAsJsonAsync("/v1/bulk", new
        {
            from = "news@bulk4b.test", subject = "s", text = "t", @class = "marketing", recipients = new[] { new { to = "a@rcpt4.test" } },
        });
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(0L, await JobsOfAsync(other));
    }

    [Fact]
    public async Task OnlyATenantKeyMayUseBulkAndItMayDoNothingElse()
    {
        var tenant = await host.AddSendingDomainAsync("bulk5.test");
        var job = new { from = "news@bulk5.test", subject = "s", text = "t", @class = "marketing", recipients = new[] { new { to = "a@rcpt5.test" } } };
        using var admin = host.CreateAdminClient();
        await admin.PostAsJsonAsync("/v1/admin/accounts", new { address = "owner@bulk5.test", password = "owner-password-1" });
        using var user = await host.LoginAsync("owner@bulk5.test", "owner-password-1");
        var key = await (await user.PostAsJsonAsync("/v1/account/api-keys", new { name = "full", scope = "full" })).Content.ReadFromJsonAsync<JsonElement>();
        using var accountKey = host.CreateClient();
        accountKey.DefaultRequestHeaders.Add("X-Api-Key", key.GetProperty("secret").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, (await user.PostAsJsonAsync("/v1/bulk", job)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await accountKey.PostAsJsonAsync("/v1/bulk", job)).StatusCode);
        using var nobody = host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.PostAsJsonAsync("/v1/bulk", job)).StatusCode);
        using var wrongKey = host.CreateClient();
        wrongKey.DefaultRequestHeaders.Add("X-Api-Key", $"mt_{tenant}_{new string('x', 32)}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.PostAsJsonAsync("/v1/bulk", job)).StatusCode);
        Assert.Equal(0L, await JobsOfAsync(tenant));

        using var tenantKey = await host.TenantClientAsync(tenant);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenantKey.GetAsync("/v1/emails")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenantKey.GetAsync("/v1/account")).StatusCode);
        var id = await CreateJobAsync(tenantKey, job);

        // Another tenant's key does not see the job.
        var stranger = await host.AddSendingDomainAsync("bulk5b.test");
        using var strangerKey = await host.TenantClientAsync(stranger);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerKey.GetAsync($"/v1/bulk/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerKey.DeleteAsync($"/v1/bulk/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tenantKey.GetAsync($"/v1/bulk/{id}")).StatusCode);

        // A revoked key stops working.
        var made = await (await admin.PostAsJsonAsync($"/v1/admin/tenants/{tenant}/api-keys", new { name = "short-lived" })).Content.ReadFromJsonAsync<JsonElement>();
        using var revoked = host.CreateClient();
        revoked.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", made.GetProperty("secret").GetString());
        Assert.Equal(HttpStatusCode.OK, (await revoked.GetAsync($"/v1/bulk/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/admin/tenants/{tenant}/api-keys/{made.GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.GetAsync($"/v1/bulk/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await admin.PostAsJsonAsync($"/v1/admin/tenants/{tenant}/api-keys", new { name = "x", scope = "full" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await admin.PostAsJsonAsync("/v1/admin/tenants/no-such-tenant/api-keys", new { name = "x" })).StatusCode);
    }

    [Fact]
    public async Task ABadBodyIsRefusedAndLeavesNothingStored()
    {
        var tenant = await host.AddSendingDomainAsync("bulk6.test");
        using var client = await host.TenantClientAsync(tenant);

        // The bad recipient comes after a first batch of 2,000 was stored: that batch is deleted again.
        var recipients = Enumerable.Range(0, 2500).Select(i => new { to = i == 2400 ? "nobody" : $"r{i}@rcpt6.test" }).ToArray();
        var bad = await client.PostAsJsonAsync("/v1/bulk", new { from = "news@bulk6.test", subject = "s", text = "t", @class = "marketing", recipients });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("recipients[2400].to 'nobody' is not an e-mail address", await bad.Content.ReadAsStringAsync());

        // On the same connection: the refused request before it left the connection usable.
        var tooMany = await client.PostAsJsonAsync("/v1/bulk", new
        {
            from = "news@bulk6.test", subject = "s", text = "t", @class = "marketing",
            recipients = Enumerable.Range(0, BulkHostFixture.MaxRecipients + 1).Select(i => new { to = $"r{i}@rcpt6.test" }).ToArray(),
        });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains($"at most {BulkHostFixture.MaxRecipients} recipients", await tooMany.Content.ReadAsStringAsync());

        var noClass = await client.PostAsJsonAsync("/v1/bulk", new { from = "news@bulk6.test", subject = "s", text = "t", recipients = new[] { new { to = "a@rcpt6.test" } } });
        Assert.Equal(HttpStatusCode.BadRequest, noClass.StatusCode);
        Assert.Contains("class must be marketing or transactional", await noClass.Content.ReadAsStringAsync());

        var noBody = await client.PostAsJsonAsync("/v1/bulk", new { from = "news@bulk6.test", subject = "s", @class = "marketing", recipients = new[] { new { to = "a@rcpt6.test" } } });
        Assert.Equal(HttpStatusCode.BadRequest, noBody.StatusCode);

        var trailing = await client.PostAsync("/v1/bulk", new StringContent("""{"recipients":[]} x""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, trailing.StatusCode);

        // The endpoint's own body limit (Mail:Bulk:MaxBodyBytes), far above the default 64 KB but still a limit.
        // Expect: 100-continue, so the client waits for the answer instead of writing into a connection the server closes.
        using var oversized = new HttpRequestMessage(HttpMethod.Post, "/v1/bulk")
        {
            Content = new StringContent(
                $$"""{"from":"news@bulk6.test","subject":"s","class":"marketing","text":"{{new string('x', BulkHostFixture.MaxBodyBytes)}}","recipients":[]}""",
                Encoding.UTF8, "application/json"),
        };
        oversized.Headers.ExpectContinue = true;
        var huge = await client.SendAsync(oversized);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        var big = await client.PostAsync("/v1/bulk", new StringContent(
            $$"""{"from":"news@bulk6.test","subject":"s","class":"marketing","text":"{{new string('x', 200_000)}}","recipients":[{"to":"a@rcpt6.test"}]}""",
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, big.StatusCode);

        Assert.Equal(1L, await JobsOfAsync(tenant));
    }

    private static FormUrlEncodedContent Form(string name, string value) => new([new KeyValuePair<string, string>(name, value)]);

    private static string UnsubscribeUrl(MimeMessage message)
    {
        var value = message.Headers["List-Unsubscribe"]!;
        var start = value.IndexOf("<https://", StringComparison.Ordinal) + 1;
        return value[start..value.IndexOf('>', start)];
    }

    private static int Count(JsonElement status, string state) => status.GetProperty("counts").GetProperty(state).GetInt32();

    private static async Task<string> CreateJobAsync(HttpClient client, object job)
    {
        var response = await client.PostAsJsonAsync("/v1/bulk", job);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal($"/v1/bulk/{id}", response.Headers.Location?.ToString());
        return id;
    }

    private static async Task<List<ReceivedMessage>> ReceiveAsync(TestSmtpReceiver receiver, int count)
    {
        var messages = new List<ReceivedMessage>();
        while (messages.Count < count) messages.Add(await receiver.WaitForMessageAsync(Wait));
        return messages;
    }

    private static async Task<JsonElement> WaitForJobAsync(HttpClient client, string id, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + Wait;
        JsonElement status;
        do
        {
            status = await client.GetFromJsonAsync<JsonElement>($"/v1/bulk/{id}");
            if (done(status)) return status;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"job {id} did not get there: {status}");
    }

    private async Task<long> JobsOfAsync(string tenant)
    {
        await using var db = NpgsqlDataSource.Create(host.Database.ConnectionString);
        await using var command = db.CreateCommand("SELECT count(*) FROM bulk_jobs WHERE tenant_id = @t");
        command.Parameters.AddWithValue("t", tenant);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
