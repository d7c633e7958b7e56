using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Npgsql;

namespace Mail.Integration.Tests.Filters;

/// <summary>Sieve (RFC 5228) at delivery over real SMTP: every action and test, errors at upload, reject, redirect and vacation.</summary>
public sealed class SieveDeliveryTests(MailHostFixture host) : IClassFixture<MailHostFixture>
{
    private const string Sorting = """
        require ["fileinto", "mailbox", "imap4flags", "envelope", "body"];
        # Each rule files into its own folder, so each test's effect can be seen.
        if header :contains "subject" "invoice" { addflag "\\Flagged"; fileinto :create "Finance/Invoices"; stop; }
        if address :domain :is "from" "lists.example" { fileinto :create :flags "$List Newsletter" "Lists"; stop; }
        if envelope :localpart :matches "from" "bounce-*" { discard; stop; }
        if size :over 20K { fileinto :create "Large"; stop; }
        if body :text :contains "lottery" { fileinto "Junk"; stop; }
        if allof (exists "X-Priority", not header :is "X-Priority" "5") { setflag "\\Flagged"; keep; stop; }
        if anyof (false, header :matches "subject" "weekly ?eport*") { fileinto :create "Reports"; }
        if address :all :is ["to", "cc"] "nobody@nowhere.example" { fileinto "Missing"; }
        if true { addflag "Seen-by-filter"; }
        """;

    [Fact]
    public async Task ScriptFilesFlagsAndDiscardsByHeaderAddressEnvelopeSizeBodyAndLogic()
    {
        var (to, user) = await ApiUsers.CreateAsync(host);
        await FilterMail.ActivateAsync(user, Sorting);
        const string remote = "sam@remote.example";
        await FilterMail.DeliverAsync(host, FilterMail.Message(remote, to, "Your INVOICE 42"));
        await FilterMail.DeliverAsync(host, FilterMail.Message("news@lists.example", to, "Digest"));
        await FilterMail.DeliverAsync(host, FilterMail.Message(remote, to, "bounced"), "bounce-17@remote.example");
        await FilterMail.DeliverAsync(host, FilterMail.Message(remote, to, "big", new string('x', 30_000)));
        await FilterMail.DeliverAsync(host, FilterMail.Message(remote, to, "prize", "You won the lottery!"));
        var urgent = FilterMail.Message(remote, to, "urgent");
        urgent.Headers.Add("X-Priority", "1");
        await FilterMail.DeliverAsync(host, urgent);
        await FilterMail.DeliverAsync(host, FilterMail.Message(remote, to, "Weekly Report 3"));
        await FilterMail.DeliverAsync(host, FilterMail.Message(remote, to, "plain"));

        var invoice = Assert.Single(await FilterMail.ItemsAsync(user, "Finance/Invoices"));
        Assert.Contains("\\Flagged", Flags(invoice));
        var digest = Assert.Single(await FilterMail.ItemsAsync(user, "Lists"));
        Assert.Contains("$List", Flags(digest));
        Assert.Contains("Newsletter", digest.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(["big"], await FilterMail.SubjectsAsync(user, "Large"));
        Assert.Equal(["prize"], await FilterMail.SubjectsAsync(user, "Junk"));
        Assert.Equal(["Weekly Report 3"], await FilterMail.SubjectsAsync(user, "Reports"));
        var inbox = await FilterMail.ItemsAsync(user);
        Assert.Equal(["plain", "urgent"], inbox.Select(i => i.GetProperty("subject").GetString()!).Order().ToArray());
        Assert.Contains("\\Flagged", Flags(inbox.Single(i => i.GetProperty("subject").GetString() == "urgent")));
        // setflag replaced the flags; the implicit keep of "plain" carries the addflag of the last rule.
        Assert.Contains("Seen-by-filter", Flags(inbox.Single(i => i.GetProperty("subject").GetString() == "plain")));
        var folders = (await user.GetFromJsonAsync<JsonElement>("/v1/folders")).EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToArray();
        Assert.DoesNotContain("Missing", folders);
        var all = new List<string>();
        foreach (var folder in folders) all.AddRange(await FilterMail.SubjectsAsync(user, folder!));
        Assert.DoesNotContain("bounced", all);
    }

    [Fact]
    public async Task RejectRefusesTheSmtpTransactionWith550WhenItIsTheOnlyRecipient()
    {
        var (to, user) = await ApiUsers.CreateAsync(host);
        await FilterMail.ActivateAsync(user, "require \"reject\";\nif header :contains \"subject\" \"offer\" { reject \"No offers, thanks.\"; }");
        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => FilterMail.DeliverAsync(host, FilterMail.Message("ted@remote.example", to, "special offer")));
        Assert.Equal(550, (int)error.StatusCode);
        Assert.Contains("No offers, thanks.", error.Message);
        Assert.Empty(await FilterMail.ItemsAsync(user));
    }

    [Fact]
    public async Task RejectBesideAnAcceptingRecipientSendsTheSenderADsn()
    {
        var (rejecting, user) = await ApiUsers.CreateAsync(host);
        var (accepting, _) = await ApiUsers.CreateAsync(host);
        var (sender, senderClient) = await ApiUsers.CreateAsync(host);
        await FilterMail.ActivateAsync(user, "require \"reject\"; reject \"I do not take mail from you.\";");
        var message = FilterMail.Message(sender, rejecting, "two recipients");
        message.Cc.Add(MailboxAddress.Parse(accepting));
        using (var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true })
        {
            await client.ConnectAsync("127.0.0.1", host.SubmissionPort, SecureSocketOptions.StartTls);
            await client.AuthenticateAsync(sender, "test-password");
            await client.SendAsync(message);
            await client.DisconnectAsync(true);
        }
        var dsn = Assert.Single(await FilterMail.ItemsAsync(senderClient));
        Assert.Equal("Undelivered Mail Returned to Sender", dsn.GetProperty("subject").GetString());
        var report = await MimeMessage.LoadAsync(await senderClient.GetStreamAsync($"/v1/emails/{dsn.GetProperty("id").GetString()}/raw"));
        var text = string.Join("\n", report.BodyParts.OfType<TextPart>().Select(p => p.Text));
        Assert.Contains("I do not take mail from you.", text.Replace("\n", " ").Replace("  ", " "));
        Assert.Contains(rejecting, text);
    }

    [Fact]
    public async Task RedirectQueuesTheMessageForTheRemoteTargetAndCopyKeepsIt()
    {
        var (to, user) = await ApiUsers.CreateAsync(host);
        var target = $"fwd{Guid.NewGuid():N}"[..12] + "@remote.example";
        await FilterMail.ActivateAsync(user, $"require \"copy\";\nif header :is \"subject\" \"keep me\" {{ redirect :copy \"{target}\"; stop; }}\nredirect \"{target}\";");
        await FilterMail.DeliverAsync(host, FilterMail.Message("uma@remote.example", to, "forward me"));
        await FilterMail.DeliverAsync(host, FilterMail.Message("uma@remote.example", to, "keep me"));

        Assert.Equal(["keep me"], await FilterMail.SubjectsAsync(user));
        await using var connection = new NpgsqlConnection(host.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT envelope_from FROM outbound_queue WHERE recipient = @r", connection);
        command.Parameters.AddWithValue("r", target);
        var senders = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) senders.Add(reader.GetString(0));
        }
        Assert.Equal(2, senders.Count);
        Assert.All(senders, s => Assert.Equal(to, s));
    }

    [Fact]
    public async Task RedirectLoopBetweenTwoAccountsEndsKeptOnce()
    {
        var (first, firstClient) = await ApiUsers.CreateAsync(host);
        var (second, secondClient) = await ApiUsers.CreateAsync(host);
        await FilterMail.ActivateAsync(firstClient, $"redirect \"{second}\";");
        await FilterMail.ActivateAsync(secondClient, $"redirect \"{first}\";");
        await FilterMail.DeliverAsync(host, FilterMail.Message("vic@remote.example", first, "ping-pong"));

        var kept = Assert.Single(await FilterMail.ItemsAsync(firstClient));
        Assert.Empty(await FilterMail.ItemsAsync(secondClient));
        var raw = await firstClient.GetStringAsync($"/v1/emails/{kept.GetProperty("id").GetString()}/raw");
        Assert.Contains($"Delivered-To: {first}", raw);
        Assert.Contains($"Delivered-To: {second}", raw);
    }

    [Fact]
    public async Task VacationAnswersEachSenderOnceWithinItsDays()
    {
        var (away, awayClient) = await ApiUsers.CreateAsync(host);
        var (sender, senderClient) = await ApiUsers.CreateAsync(host);
        var (other, otherClient) = await ApiUsers.CreateAsync(host);
        await FilterMail.ActivateAsync(awayClient, "require \"vacation\";\nvacation :days 3 :subject \"Away\" \"I am away until Monday.\";");
        await FilterMail.SubmitAsync(host, FilterMail.Message(sender, away, "first"), sender);
        await FilterMail.SubmitAsync(host, FilterMail.Message(sender, away, "second"), sender);
        await FilterMail.SubmitAsync(host, FilterMail.Message(other, away, "third"), other);
        var bulk = FilterMail.Message(other, away, "newsletter");
        bulk.Headers.Add("Precedence", "bulk");
        await FilterMail.SubmitAsync(host, bulk, other);

        var reply = Assert.Single(await FilterMail.ItemsAsync(senderClient));
        Assert.Equal("Away", reply.GetProperty("subject").GetString());
        var raw = await senderClient.GetStringAsync($"/v1/emails/{reply.GetProperty("id").GetString()}/raw");
        Assert.Contains("Auto-Submitted: auto-replied", raw);
        Assert.Contains("I am away until Monday.", raw);
        Assert.Single(await FilterMail.ItemsAsync(otherClient));
        Assert.Equal(4, (await FilterMail.ItemsAsync(awayClient)).Length);
    }

    [Fact]
    public async Task ScriptErrorsAreRefusedAtUploadWithLineAndColumnAndNothingIsStored()
    {
        var (_, user) = await ApiUsers.CreateAsync(host);
        var response = await user.PutAsJsonAsync("/v1/sieve/scripts/broken", new { content = "require \"fileinto\";\nif header :contains \"subject\" \"x\" {\n  fileinto \"A\"\n}\n" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(4, problem.GetProperty("line").GetInt32());
        Assert.Equal(1, problem.GetProperty("column").GetInt32());
        Assert.Contains("expected ';'", problem.GetProperty("detail").GetString());

        var unrequired = await user.PutAsJsonAsync("/v1/sieve/scripts/broken", new { content = "keep;\n  fileinto \"A\";" });
        var body = await unrequired.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((2, 3), (body.GetProperty("line").GetInt32(), body.GetProperty("column").GetInt32()));
        Assert.Contains("needs require \"fileinto\"", body.GetProperty("detail").GetString());

        var list = await user.GetFromJsonAsync<JsonElement>("/v1/sieve/scripts");
        Assert.Empty(list.GetProperty("scripts").EnumerateArray());
    }

    [Fact]
    public async Task ScriptsAreListedReadActivatedAndTheActiveOneCannotBeDeleted()
    {
        var (_, user) = await ApiUsers.CreateAsync(host);
        await FilterMail.ActivateAsync(user, "keep;", "main");
        (await user.PutAsJsonAsync("/v1/sieve/scripts/spare", new { content = "discard;" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Conflict, (await user.DeleteAsync("/v1/sieve/scripts/main")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await user.PostAsync("/v1/sieve/scripts/spare/activate", null)).StatusCode);
        var script = await user.GetFromJsonAsync<JsonElement>("/v1/sieve/scripts/spare");
        Assert.True(script.GetProperty("active").GetBoolean());
        Assert.Equal("discard;", script.GetProperty("content").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await user.DeleteAsync("/v1/sieve/scripts/main")).StatusCode);
        var names = (await user.GetFromJsonAsync<JsonElement>("/v1/sieve/scripts")).GetProperty("scripts").EnumerateArray().Select(s => s.GetProperty("name").GetString());
        Assert.Equal(["spare"], names);
        Assert.Equal(HttpStatusCode.OK, (await user.PostAsJsonAsync("/v1/sieve/check", new { content = "stop;" })).StatusCode);
    }

    private static string[] Flags(JsonElement item) => item.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).ToArray();
}
