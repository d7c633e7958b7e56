using Mail.Grains.Search.Indexing;
using Npgsql;

namespace Mail.Integration.Tests.Search;

/// <summary>Which mailboxes the indexing sweep finds lagging, on a real database.</summary>
public sealed class SearchProgressStoreTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(nameof(SearchProgressStoreTests));
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task AMailboxNeverIndexedIsLaggingOnlyOnceItHoldsMail()
    {
        await using (var setup = _dataSource.CreateCommand(
            """
            INSERT INTO mailboxes (account_id, tenant_id, quota_limit, highest_modseq, message_count) VALUES
                ('new-empty', 't', 1000, 0, 0), ('new-with-mail', 't', 1000, 3, 2), ('emptied-unindexed', 't', 1000, 9, 0),
                ('behind', 't', 1000, 7, 1), ('current', 't', 1000, 7, 1), ('rebuild-empty', 't', 1000, 4, 0);
            INSERT INTO search_progress (account_id, modseq) VALUES ('behind', 5), ('current', 7), ('rebuild-empty', -1);
            """))
        {
            await setup.ExecuteNonQueryAsync();
        }

        var lagging = await new SearchProgressStore(_dataSource).LaggingAsync(100, CancellationToken.None);

        // An imported, never used account (no row in search_progress, no message) is left alone; so is one whose every
        // message went before it was first indexed: there is no document to write or remove.
        Assert.Equal(["behind", "new-with-mail", "rebuild-empty"], lagging.Order());
    }
}
