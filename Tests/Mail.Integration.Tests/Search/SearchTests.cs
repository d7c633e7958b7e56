using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MimeKit;
using Npgsql;
using static Mail.Integration.Tests.Search.SearchClient;

namespace Mail.Integration.Tests.Search;

/// <summary>
/// A host whose index sweep runs once at start and then only every hour: whatever these tests find, the indexer found
/// because a mailbox event woke it, not because the sweep came by.
/// </summary>
public sealed class SearchHostFixture : MailHostFixture
{
    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Search:SweepInterval"] = "01:00:00",
    };
}

/// <summary>GET /v1/search over mail delivered by real SMTP into real PostgreSQL: operators, exactness, isolation, freshness.</summary>
public sealed class SearchTests(SearchHostFixture host) : IClassFixture<SearchHostFixture>
{
    [Fact]
    public async Task AMessageIsSearchableWithinOneSecondOfItsSmtp250()
    {
        var (address, client) = await ApiUsers.CreateAsync(host);
        var lags = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var token = "fresh" + Guid.NewGuid().ToString("N")[..10];
            await DeliverAsync(host, Message("sender@remote.test", address, "freshness " + i, "the token is " + token), address);
            lags.Add(await WaitForAsync(client, token));
        }
        Assert.All(lags, lag => Assert.True(lag < TimeSpan.FromSeconds(1), $"searchable {lag.TotalMilliseconds:F0} ms after 250"));
    }

    [Fact]
    public async Task AMessageSentThroughTheApiIsSearchableWithinOneSecondOfIts201()
    {
        var (address, client) = await ApiUsers.CreateAsync(host);
        var token = "apisent" + Guid.NewGuid().ToString("N")[..10];
        var sent = await client.PostAsJsonAsync("/v1/send", new { to = new[] { address }, subject = "over the api", text = "the token is " + token });
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var lag = await WaitForAsync(client, token, count: 2);
        Assert.True(lag < TimeSpan.FromSeconds(1), $"searchable {lag.TotalMilliseconds:F0} ms after 201");
    }

    [Fact]
    public async Task ABurstOfDeliveriesIsAllSearchableWithinOneSecondOfTheLast250()
    {
        // Twenty events arrive while the indexer works: they coalesce into at most one queued catch-up, and none is lost.
        var (address, client) = await ApiUsers.CreateAsync(host);
        var token = "burst" + Guid.NewGuid().ToString("N")[..10];
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => DeliverAsync(host, Message("sender@remote.test", address, $"burst {i}", "token " + token), address)));
        var lag = await WaitForAsync(client, token, count: 20);
        Assert.True(lag < TimeSpan.FromSeconds(1), $"all 20 searchable {lag.TotalMilliseconds:F0} ms after the last 250");
    }

    [Fact]
    public async Task PagesSayWhetherMoreFollowAndCountOnlyWhenAsked()
    {
        var (address, client) = await ApiUsers.CreateAsync(host);
        var token = "paged" + Guid.NewGuid().ToString("N")[..10];
        for (var i = 0; i < 3; i++) await DeliverAsync(host, Message("sender@remote.test", address, $"paged {i}", "token " + token), address);
        await WaitForAsync(client, token, count: 3);

        var first = await QueryAsync(client, token, pageSize: 2);
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        Assert.True(first.GetProperty("has_more").GetBoolean());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("total").ValueKind);
        var last = await QueryAsync(client, token, page: 2, pageSize: 2);
        Assert.Equal(1, last.GetProperty("items").GetArrayLength());
        Assert.False(last.GetProperty("has_more").GetBoolean());
        Assert.Equal(["paged 0", "paged 1", "paged 2"],
            first.GetProperty("items").EnumerateArray().Concat(last.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("subject").GetString()).Order());

        var counted = await QueryAsync(client, token, pageSize: 2, count: true);
        Assert.Equal(3, counted.GetProperty("total").GetInt64());
        Assert.True(counted.GetProperty("total_is_exact").GetBoolean());
        Assert.True(counted.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task EachOperatorFindsExactlyItsMessages()
    {
        var (address, client) = await ApiUsers.CreateAsync(host);
        var local = address.Split('@')[0];

        var budget = Message("Alice Archer <alice.archer@sender.test>", address, "Quarterly budget review", "The budget figures for the northern region.");
        budget.Cc.Add(MailboxAddress.Parse("carol.cole@cc.test"));
        var withSheet = new BodyBuilder { TextBody = "The budget figures for the northern region." };
        withSheet.Attachments.Add("budget-2024.xlsx", new byte[2000], new ContentType("application", "vnd.ms-excel"));
        budget.Body = withSheet.ToMessageBody();

        var lunch = new MimeMessage();
        lunch.From.Add(MailboxAddress.Parse("bob.baker@sender.test"));
        lunch.To.Add(MailboxAddress.Parse(address));
        lunch.Subject = "Lunch plans";
        lunch.Body = new TextPart("html") { Text = "<p>Let us meet at the <b>blue whale</b> cafe</p><script>var hidden = 'scriptword';</script>" };

        var reply = Message("alice.archer@sender.test", address, "Re: Quarterly budget review", "Approved, no changes.");
        reply.Headers.Add("Delivered-To", "archive-" + local + "@example.test");
        var withScan = new BodyBuilder { TextBody = "Approved, no changes." };
        var scan = new byte[300_000];
        Random.Shared.NextBytes(scan);
        withScan.Attachments.Add("scan.pdf", scan, new ContentType("application", "pdf"));
        reply.Body = withScan.ToMessageBody();

        var news = Message("carl@other.test", address, "Weekly newsletter", "Budget airline deals this week.");
        news.Headers.Add("List-Id", "Example News <news.example.org>");

        foreach (var message in new[] { budget, lunch, reply, news }) await DeliverAsync(host, message, address);
        await WaitForAsync(client, "in:inbox", 4);

        await PatchAsync(client, await IdAsync(client, "subject:lunch"), new { unread = false, flagged = true });
        await PatchAsync(client, await IdAsync(client, "subject:\"re quarterly\""), new { unread = false, add_labels = new[] { "Finance" } });
        await PatchAsync(client, await IdAsync(client, "from:carl"), new { add_flags = new[] { "$Important" } });
        await PatchAsync(client, await IdAsync(client, "figures"), new { add_labels = new[] { "Work" } });

        const string B = "Quarterly budget review", L = "Lunch plans", R = "Re: Quarterly budget review", N = "Weekly newsletter";
        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy/MM/dd");
        var expectations = new Dictionary<string, string[]>
        {
            ["from:alice"] = [B, R],
            ["from:\"Alice Archer\""] = [B],
            ["from:bob.baker@sender.test"] = [L],
            ["to:" + local] = [B, L, R, N],
            ["cc:carol"] = [B],
            ["subject:lunch"] = [L],
            ["subject:(quarterly review)"] = [B, R],
            ["\"blue whale\""] = [L],
            ["\"whale blue\""] = [],
            ["scriptword"] = [],
            ["figures"] = [B],
            ["figure"] = [B],
            ["filename:xlsx"] = [B],
            ["filename:budget-2024"] = [B],
            ["scan"] = [R],
            ["list:news.example.org"] = [N],
            ["deliveredto:archive-" + local] = [R],
            ["has:attachment"] = [B, R],
            ["larger:100K"] = [R],
            ["smaller:100K"] = [B, L, N],
            ["is:unread"] = [B, N],
            ["is:read"] = [L, R],
            ["is:starred"] = [L],
            ["is:important"] = [N],
            ["label:work"] = [B],
            ["label:finance is:unread"] = [],
            ["label:work is:unread"] = [B],
            ["budget -from:alice"] = [N],
            ["-budget"] = [L],
            ["from:bob OR from:carl"] = [L, N],
            ["{lunch newsletter}"] = [L, N],
            ["budget (is:starred OR has:attachment)"] = [B, R],
            ["after:" + tomorrow] = [],
            ["before:" + tomorrow] = [B, L, R, N],
            ["newer_than:1d"] = [B, L, R, N],
            ["older_than:1d"] = [],
            ["rfc822msgid:" + lunch.MessageId] = [L],
            ["in:inbox"] = [B, L, R, N],
            ["in:sent"] = [],
            ["alice"] = [B, R],
        };
        foreach (var (query, expected) in expectations)
        {
            Assert.True(expected.Order().SequenceEqual(await SubjectsAsync(client, query)),
                $"'{query}' found [{string.Join(", ", await SubjectsAsync(client, query))}], expected [{string.Join(", ", expected)}]");
        }
    }

    [Fact]
    public async Task RelevanceSortGivesHighlightedEscapedSnippets()
    {
        var (address, client) = await ApiUsers.CreateAsync(host);
        await DeliverAsync(host, Message("a@remote.test", address, "Harbour report: fish & chips <b>", "The harbour report is ready for review."), address);
        await DeliverAsync(host, Message("a@remote.test", address, "Other", "A harbour mention."), address);
        await WaitForAsync(client, "harbour", 2);

        var page = await QueryAsync(client, "harbour report", sort: "relevance");
        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        var snippet = page.GetProperty("snippets").GetProperty(item.GetProperty("id").GetString()!).GetString()!;
        Assert.Contains("<mark>harbour</mark>", snippet, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&amp;", snippet);
        Assert.DoesNotContain("<b>", snippet);
        Assert.DoesNotContain(" & ", snippet);
    }

    [Fact]
    public async Task DeletedMailVanishesFromResultsAtOnce()
    {
        var (address, client) = await ApiUsers.CreateAsync(host);
        var token = "gone" + Guid.NewGuid().ToString("N")[..10];
        await DeliverAsync(host, Message("a@remote.test", address, "to be deleted", token), address);
        await WaitForAsync(client, token);
        var id = await IdAsync(client, token);

        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/v1/emails/{id}")).StatusCode);
        Assert.Empty(await SubjectsAsync(client, token));
        Assert.Single(await SubjectsAsync(client, "in:trash " + token));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/v1/emails/{id}")).StatusCode);
        Assert.Empty(await SubjectsAsync(client, "in:anywhere " + token));
    }

    [Fact]
    public async Task AccountsAndTenantsNeverSeeEachOthersMail()
    {
        await ApiUsers.EnsureDomainAsync(host, "search-other.test", "search-other");
        var (address, owner) = await ApiUsers.CreateAsync(host);
        var (_, neighbour) = await ApiUsers.CreateAsync(host);
        var (otherAddress, stranger) = await ApiUsers.CreateAsync(host, "search-other.test");
        var token = "mine" + Guid.NewGuid().ToString("N")[..10];
        await DeliverAsync(host, Message("a@remote.test", address, "private " + token, "secret body " + token), address);
        await DeliverAsync(host, Message("a@remote.test", otherAddress, "theirs", "nothing here"), otherAddress);
        await WaitForAsync(owner, token);
        await WaitForAsync(stranger, "theirs");

        foreach (var client in new[] { neighbour, stranger })
        {
            foreach (var q in new[] { token, "subject:private", "in:anywhere " + token, "-nothingmatchesthis" })
            {
                Assert.DoesNotContain(await SubjectsAsync(client, q), s => s.Contains(token));
            }
        }
    }

    [Theory]
    [InlineData("budget (review", "never closed", 8)]
    [InlineData("is:sleepy", "is:sleepy", 4)]
    [InlineData("\"open phrase", "Unterminated", 1)]
    public async Task AMalformedQueryIsA400ThatPointsAtThePosition(string q, string reason, int position)
    {
        var (_, client) = await ApiUsers.CreateAsync(host);
        var response = await client.GetAsync($"/v1/search?q={Uri.EscapeDataString(q)}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
        Assert.Contains(reason, detail);
        Assert.Contains($"position {position}", detail);
    }

    [Fact]
    public async Task ReindexRebuildsALostIndex()
    {
        var (address, client) = await ApiUsers.CreateAsync(host);
        var token = "rebuilt" + Guid.NewGuid().ToString("N")[..10];
        await DeliverAsync(host, Message("a@remote.test", address, "rebuild me", token), address);
        await WaitForAsync(client, token);

        await using (var connection = new NpgsqlConnection(host.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var wipe = new NpgsqlCommand(
                "DELETE FROM search_documents WHERE account_id = (SELECT account_id FROM directory_accounts WHERE address = @a)", connection);
            wipe.Parameters.AddWithValue("a", address);
            Assert.Equal(1, await wipe.ExecuteNonQueryAsync());
        }
        Assert.Empty(await SubjectsAsync(client, token));

        using var admin = host.CreateAdminClient();
        var response = await admin.PostAsync($"/v1/admin/search/reindex?account={Uri.EscapeDataString(address)}", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await WaitForAsync(client, token);
        var tenant = await admin.PostAsync("/v1/admin/search/reindex?tenant=example.test", null);
        Assert.Equal(HttpStatusCode.Accepted, tenant.StatusCode);
        Assert.True(JsonDocument.Parse(await tenant.Content.ReadAsStringAsync()).RootElement.GetProperty("mailboxes").GetInt32() >= 1);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/v1/admin/search/reindex?account=nobody%40example.test", null)).StatusCode);
    }
}
