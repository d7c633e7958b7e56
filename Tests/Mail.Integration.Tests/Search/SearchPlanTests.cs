using Mail.Grains.Hosting;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Search;
using Mail.Grains.Search.Postgres;
using Mail.Grains.Search.Query;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Mail.Integration.Tests.Search;

/// <summary>
/// A 2,000-message mailbox written straight into a real database (rows by COPY, documents through the engine's own
/// indexing statement), for comparing the engine's query plans.
/// </summary>
public sealed class SearchPlanFixture : IAsyncLifetime
{
    /// <summary>Messages in the mailbox.</summary>
    public const int Count = 2000;

    /// <summary>The mailbox's account.</summary>
    public const string Account = "plans-account";

    /// <summary>The database.</summary>
    public TestDatabase Database { get; private set; } = null!;

    /// <summary>A data source on <see cref="Database"/>.</summary>
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>The seeded messages by id: sender number, folder id, seen, labels.</summary>
    public Dictionary<long, (int Sender, int Folder, bool Seen, string[] Labels)> Messages { get; } = [];

    /// <summary>
    /// An engine whose candidate cap is <paramref name="cap"/>; free words walk the newest 200 documents first (a first
    /// page of a 30% phrase fills there, later pages and rarer words go on to the probe).
    /// </summary>
    public PostgresSearchEngine Engine(int cap) =>
        new(DataSource, Options.Create(new SearchOptions { CandidateCap = cap, WalkBudget = 200 }), MailClock.System);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(nameof(SearchPlanTests));
        DataSource = NpgsqlDataSource.Create(Database.ConnectionString);
        await using (var setup = DataSource.CreateCommand(
            """
            INSERT INTO mailboxes (account_id, tenant_id, quota_limit) VALUES ('plans-account', 'plans', 1000000000);
            INSERT INTO mailbox_folders (account_id, folder_id, name, special_use, uid_validity) VALUES
                ('plans-account', 1, 'INBOX', NULL, 1), ('plans-account', 2, 'Trash', '\Trash', 1), ('plans-account', 3, 'Archive', NULL, 1);
            """))
        {
            await setup.ExecuteNonQueryAsync();
        }
        var random = new Random(13);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var documents = new List<SearchDocument>();
        await using (var connection = await DataSource.OpenConnectionAsync())
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY mailbox_messages (account_id, message_id, folder_id, uid, modseq, flags, labels, thread_id, blob_tenant, blob_name, size, " +
            "internal_date, from_addr, to_addrs, cc_addrs, subject, message_id_header, refs, preview, has_attachments) FROM STDIN (FORMAT BINARY)"))
        {
            for (var id = 1L; id <= Count; id++)
            {
                // Dates in random order (heap order is not date order) and often equal (the message id breaks ties).
                var date = start.AddMinutes(random.Next(Count / 2));
                var sender = random.Next(40);
                var folder = random.Next(20) switch { 0 => 2, 1 => 3, _ => 1 };
                var seen = random.Next(10) < 7;
                var labels = new[] { "Work", "travel" }.Where(_ => random.Next(10) == 0).ToArray();
                var words = new List<string> { "status", "update" };
                if (random.Next(10) < 3) words.Add("marketing launch plan");
                if (random.Next(100) == 0) words.Add("quarterly budget review");
                if (id % 700 == 0) words.Add("zebracrossing");
                var attachment = random.Next(7) == 0 ? new[] { $"invoice-{id}.pdf" } : [];
                var from = $"Sender {sender} <sender{sender}@plans.test>";
                Messages[id] = (sender, folder, seen, labels);
                await copy.StartRowAsync();
                await copy.WriteAsync(Account, NpgsqlDbType.Text);
                await copy.WriteAsync(id, NpgsqlDbType.Bigint);
                await copy.WriteAsync(folder, NpgsqlDbType.Integer);
                await copy.WriteAsync(id, NpgsqlDbType.Bigint);
                await copy.WriteAsync(id, NpgsqlDbType.Bigint);
                await copy.WriteAsync(seen ? new[] { MessageFlags.Seen } : [], NpgsqlDbType.Array | NpgsqlDbType.Text);
                await copy.WriteAsync(labels, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await copy.WriteAsync(id, NpgsqlDbType.Bigint);
                await copy.WriteAsync("plans", NpgsqlDbType.Text);
                await copy.WriteAsync("blob-" + id, NpgsqlDbType.Text);
                await copy.WriteAsync(1000L + id, NpgsqlDbType.Bigint);
                await copy.WriteAsync(date.UtcDateTime, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(from, NpgsqlDbType.Text);
                await copy.WriteAsync(new[] { "owner@plans.test" }, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await copy.WriteAsync(Array.Empty<string>(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                await copy.WriteAsync("message " + id, NpgsqlDbType.Text);
                await copy.WriteAsync($"m{id}@plans.test", NpgsqlDbType.Text);
                await copy.WriteAsync(Array.Empty<string>(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                await copy.WriteAsync("preview", NpgsqlDbType.Text);
                await copy.WriteAsync(attachment.Length > 0, NpgsqlDbType.Boolean);
                documents.Add(new SearchDocument(Account, id, date, from, ["owner@plans.test"], [], [], "", "", attachment, "message " + id,
                    string.Join(". ", words), new SearchRowAttributes("INBOX", [], labels, 1000 + id, attachment.Length > 0, null)));
            }
            await copy.CompleteAsync();
        }
        var engine = Engine(1000);
        foreach (var batch in documents.Chunk(500)) await engine.IndexAsync(batch, CancellationToken.None);
        await using var analyze = DataSource.CreateCommand("ANALYZE search_documents; ANALYZE mailbox_messages");
        await analyze.ExecuteNonQueryAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>
/// The engine's query plans (README: Search, query plans) return the same page whichever runs: the planner's one
/// statement, the fenced newest-first walk, and the candidates read through the GIN indexes, for the same queries on
/// large and small match sets, at several offsets, and after rows change.
/// </summary>
public sealed class SearchPlanTests(SearchPlanFixture mailbox) : IClassFixture<SearchPlanFixture>
{
    private static readonly string[] Queries =
    [
        "\"marketing launch plan\"",            // 30%: walks (the first page within the walk budget)
        "\"quarterly budget review\"",          // 1%: candidates
        "zebracrossing",                         // 2 messages
        "nosuchwordanywhere",                    // none
        "from:sender7@",                         // 2.5%: candidates
        "from:plans.test",                       // every message: walks
        "filename:invoice",                      // 14%
        "filename:invoice label:work",
        "from:sender3@ is:unread",
        "\"marketing launch plan\" label:travel is:unread",
        "marketing -from:sender1 -has:attachment",
        "launch after:2026/01/01 before:2026/01/01",
        "status after:2026/01/01 before:2026/01/02",
        "launch in:anywhere",
        "launch in:trash",
        "update in:archive",
        "subject:message",
        "from:sender2@ OR label:work",
        "label:work is:unread",
        "from:sender1 marketing",                // ten senders (sender1, sender10-19), with a word: read per sender
        "from:sender1 from:sender1@",            // two from: terms, one sender matches both
        "from:\"sender 12 <\"",                   // a display name's substring
        "from:sender7@ filename:invoice",
        "from:nosuchsender",
    ];

    [Fact]
    public async Task EveryPlanReturnsTheSamePages()
    {
        var engine = mailbox.Engine(100);
        foreach (var q in Queries) await AssertPlansAgreeAsync(engine, q);
    }

    [Fact]
    public async Task TheChoiceFollowsHowManyMatchTheIndexedTerms()
    {
        var small = mailbox.Engine(100);
        Assert.Equal(SearchPlan.Walk, await ChosenAsync(small, "\"marketing launch plan\""));
        Assert.Equal(SearchPlan.Walk, await ChosenAsync(small, "from:plans.test"));
        Assert.Equal(SearchPlan.Walk, await ChosenAsync(small, "filename:invoice"));
        Assert.Equal(SearchPlan.Candidates, await ChosenAsync(small, "from:sender7@"));
        Assert.Equal(SearchPlan.Candidates, await ChosenAsync(small, "\"quarterly budget review\""));
        Assert.Equal(SearchPlan.Candidates, await ChosenAsync(small, "zebracrossing"));
        Assert.Equal(SearchPlan.Planner, await ChosenAsync(small, "label:work is:unread"));

        // The same query on either side of the cap: read as candidates or walked, the same pages.
        var large = mailbox.Engine(5000);
        Assert.Equal(SearchPlan.Candidates, await ChosenAsync(large, "filename:invoice"));
        foreach (var offset in new[] { 0, 51, 250 })
        {
            var query = SearchQueryParser.Parse("filename:invoice");
            Assert.Equal((await small.PageAsync(SearchPlanFixture.Account, query, offset, 51, SearchPlan.Auto, null, CancellationToken.None)).Ids,
                (await large.PageAsync(SearchPlanFixture.Account, query, offset, 51, SearchPlan.Auto, null, CancellationToken.None)).Ids);
        }
    }

    [Fact]
    public async Task CandidatesAndWalkFindExactlyTheMatchingRows()
    {
        var engine = mailbox.Engine(100);
        var expected = mailbox.Messages.Where(m => m.Value.Sender == 3 && !m.Value.Seen && m.Value.Folder != 2).Select(m => m.Key).Order().ToArray();
        Assert.NotEmpty(expected);
        foreach (var plan in new[] { SearchPlan.Walk, SearchPlan.Candidates, SearchPlan.Auto })
        {
            var (ids, _) = await engine.PageAsync(SearchPlanFixture.Account, SearchQueryParser.Parse("from:sender3@ is:unread"), 0, 500, plan, null, CancellationToken.None);
            Assert.Equal(expected, ids.Order().ToArray());
        }
    }

    [Fact]
    public async Task RowChangesShowInEveryPlanAtOnce()
    {
        var engine = mailbox.Engine(100);
        var unread = mailbox.Messages.Where(m => m.Value.Sender == 5 && !m.Value.Seen && m.Value.Folder == 1).Select(m => m.Key).Take(2).ToArray();
        Assert.Equal(2, unread.Length);
        await using (var change = mailbox.DataSource.CreateCommand(
            $"UPDATE mailbox_messages SET flags = ARRAY['{MessageFlags.Seen}'] WHERE account_id = 'plans-account' AND message_id = {unread[0]}; " +
            $"DELETE FROM mailbox_messages WHERE account_id = 'plans-account' AND message_id = {unread[1]}"))
        {
            await change.ExecuteNonQueryAsync();
        }
        foreach (var q in new[] { "from:sender5@ is:unread", "from:sender5@", "status is:unread" })
        {
            foreach (var plan in new[] { SearchPlan.Planner, SearchPlan.Walk, SearchPlan.Candidates, SearchPlan.Auto })
            {
                var (ids, _) = await engine.PageAsync(SearchPlanFixture.Account, SearchQueryParser.Parse(q), 0, 2000, plan, null, CancellationToken.None);
                Assert.DoesNotContain(unread[1], ids);
                if (q.Contains("is:unread")) Assert.DoesNotContain(unread[0], ids);
                else Assert.Contains(unread[0], ids);
            }
        }
    }

    [Fact]
    public async Task SendersFollowReindexingAndOrphansAreDropped()
    {
        const string account = "senders-account";
        var engine = mailbox.Engine(100);
        await using (var setup = mailbox.DataSource.CreateCommand(
            """
            INSERT INTO mailboxes (account_id, tenant_id, quota_limit) VALUES ('senders-account', 'plans', 1000000);
            INSERT INTO mailbox_folders (account_id, folder_id, name, special_use, uid_validity) VALUES ('senders-account', 1, 'INBOX', NULL, 1);
            INSERT INTO mailbox_messages (account_id, message_id, folder_id, uid, modseq, flags, labels, thread_id, blob_tenant, blob_name, size,
                internal_date, from_addr, to_addrs, cc_addrs, subject, message_id_header, refs, preview, has_attachments)
            SELECT 'senders-account', i, 1, i, i, '{}', '{}', i, 'plans', 'blob-s' || i, 100, now(), '', '{}', '{}', 's', 's' || i, '{}', '', false
            FROM generate_series(1, 3) i;
            """))
        {
            await setup.ExecuteNonQueryAsync();
        }
        SearchDocument Document(long id, string from) =>
            new(account, id, DateTimeOffset.UtcNow.AddMinutes(id), from, [], [], [], "", "", [], "s", "body", new SearchRowAttributes("INBOX", [], [], 100, false, null));
        await engine.IndexAsync([Document(1, "Ann <ann@x.test>"), Document(2, "Ann <ann@x.test>"), Document(3, "Bob <bob@x.test>")], CancellationToken.None);
        Assert.Equal(new[] { 2L, 1L }, await FromAsync("ann"));
        Assert.Equal(new[] { 3L }, await FromAsync("bob"));

        // A document indexed again under another sender leaves its old sender's results and joins the new one's.
        await engine.IndexAsync([Document(2, "Carol <carol@x.test>")], CancellationToken.None);
        Assert.Equal(new[] { 1L }, await FromAsync("ann"));
        Assert.Equal(new[] { 2L }, await FromAsync("carol"));

        // Bob's only message is gone: the orphan sweep drops its document and Bob from the senders.
        await using (var delete = mailbox.DataSource.CreateCommand("DELETE FROM mailbox_messages WHERE account_id = 'senders-account' AND message_id = 3"))
        {
            await delete.ExecuteNonQueryAsync();
        }
        await engine.RemoveOrphansAsync(account, new HashSet<long> { 1, 2 }, CancellationToken.None);
        await using var senders = mailbox.DataSource.CreateCommand("SELECT string_agg(from_text, ' / ' ORDER BY from_text) FROM search_senders WHERE account_id = 'senders-account'");
        Assert.Equal("ann <ann@x.test> / carol <carol@x.test>", await senders.ExecuteScalarAsync());
        Assert.Equal(new[] { 2L, 1L }, await FromAsync("x.test"));

        async Task<long[]> FromAsync(string who)
        {
            var query = SearchQueryParser.Parse("from:" + who);
            var (candidates, plan) = await engine.PageAsync(account, query, 0, 10, SearchPlan.Auto, null, CancellationToken.None);
            Assert.Equal(SearchPlan.Candidates, plan);
            Assert.Equal(candidates, (await engine.PageAsync(account, query, 0, 10, SearchPlan.Planner, null, CancellationToken.None)).Ids);
            return candidates.ToArray();
        }
    }

    private static async Task<SearchPlan> ChosenAsync(PostgresSearchEngine engine, string q) =>
        (await engine.PageAsync(SearchPlanFixture.Account, SearchQueryParser.Parse(q), 0, 51, SearchPlan.Auto, null, CancellationToken.None)).Plan;

    private static async Task AssertPlansAgreeAsync(PostgresSearchEngine engine, string q)
    {
        var query = SearchQueryParser.Parse(q);
        var hasRequired = PostgresQueryCompiler.CompileRequired(query, DateTimeOffset.UtcNow) is not null;
        foreach (var offset in new[] { 0, 51, 300 })
        {
            var reference = (await engine.PageAsync(SearchPlanFixture.Account, query, offset, 51, SearchPlan.Planner, null, CancellationToken.None)).Ids;
            var plans = hasRequired ? new[] { SearchPlan.Walk, SearchPlan.Candidates, SearchPlan.Auto } : [SearchPlan.Walk, SearchPlan.Auto];
            foreach (var plan in plans)
            {
                var (ids, _) = await engine.PageAsync(SearchPlanFixture.Account, query, offset, 51, plan, null, CancellationToken.None);
                Assert.True(reference.SequenceEqual(ids),
                    $"'{q}' at {offset}: {plan} gave [{string.Join(",", ids.Take(8))}…] ({ids.Count}), the planner [{string.Join(",", reference.Take(8))}…] ({reference.Count})");
            }
        }
    }
}
