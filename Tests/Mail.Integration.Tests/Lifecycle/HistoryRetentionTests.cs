using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mail.Grains.Lifecycle;
using MailKit;
using MailKit.Search;
using Microsoft.Extensions.DependencyInjection;

namespace Mail.Integration.Tests.Lifecycle;

/// <summary>
/// The change log and the delivery ids pruned behind their horizon: a client resynchronizing from before it gets the
/// RFC's answer (IMAP QRESYNC: every known UID that is gone; API: 410 and where to restart), never a delta with a gap.
/// </summary>
public sealed class HistoryRetentionTests(LifecycleHostFixture host) : IClassFixture<LifecycleHostFixture>
{
    private Task<RetentionPass> PruneAsync() => host.Services.GetRequiredService<MailboxRetention>().RunOnceAsync(CancellationToken.None);

    [Fact]
    public async Task QresyncFromBeforeTheHorizonReportsEveryKnownUidThatIsGoneAndTheChangedFlags()
    {
        var (address, api) = await ApiUsers.CreateAsync(host);
        using var _ = api;
        await LifecycleMail.SendAsync(host, [address], 6, 200, "kept");

        // A client syncs, remembers (UIDVALIDITY, HIGHESTMODSEQ, UIDs) and goes away.
        uint uidValidity;
        ulong modseq;
        IList<UniqueId> known;
        using (var client = await LifecycleMail.ImapAsync(host, address))
        {
            await client.EnableQuickResyncAsync();
            await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
            (uidValidity, modseq) = (client.Inbox.UidValidity, client.Inbox.HighestModSeq);
            known = await client.Inbox.SearchAsync(SearchQuery.All);
            Assert.Equal(6, known.Count);
            await client.DisconnectAsync(true);
        }

        // Meanwhile another client expunges two messages and flags a third, and more mail comes: more changes than are kept.
        using (var other = await LifecycleMail.ImapAsync(host, address))
        {
            await other.Inbox.OpenAsync(FolderAccess.ReadWrite);
            await other.Inbox.AddFlagsAsync([known[1], known[2]], MessageFlags.Deleted, silent: true);
            await other.Inbox.ExpungeAsync();
            await other.Inbox.AddFlagsAsync(known[3], MessageFlags.Flagged, silent: true);
            await other.DisconnectAsync(true);
        }
        await LifecycleMail.SendAsync(host, [address], 3, 200, "later");

        // With the log: the exact delta.
        var (vanished, flagged) = await ResyncAsync(address, uidValidity, modseq, known);
        Assert.Equal([known[1], known[2]], vanished);
        Assert.Contains(known[3], flagged);

        var pass = await PruneAsync();
        Assert.True(pass.Ran);
        Assert.True(pass.Changes > 0);
        await using (var db = new Npgsql.NpgsqlConnection(host.Database.ConnectionString))
        {
            await db.OpenAsync();
            await using var horizon = new Npgsql.NpgsqlCommand(
                "SELECT h.pruned_through FROM mailbox_change_horizons h JOIN directory_accounts a USING (account_id) WHERE a.address = @a", db);
            horizon.Parameters.AddWithValue("a", address);
            Assert.True((long)(await horizon.ExecuteScalarAsync())! > (long)modseq, "the client's MODSEQ should now be behind the horizon");
        }

        // Without it: the same set, from what is absent, not from a log that no longer reaches back; the flags from the rows.
        var (vanishedAfter, flaggedAfter) = await ResyncAsync(address, uidValidity, modseq, known);
        Assert.Equal([known[1], known[2]], vanishedAfter);
        Assert.Contains(known[3], flaggedAfter);
    }

    private async Task<(List<UniqueId> Vanished, List<UniqueId> Flagged)> ResyncAsync(string address, uint uidValidity, ulong modseq, IList<UniqueId> known)
    {
        using var client = await LifecycleMail.ImapAsync(host, address);
        await client.EnableQuickResyncAsync();
        var vanished = new List<UniqueId>();
        var flagged = new List<UniqueId>();
        client.Inbox.MessagesVanished += (_, e) =>
        {
            if (e.Earlier) vanished.AddRange(e.UniqueIds);
        };
        client.Inbox.MessageFlagsChanged += (_, e) =>
        {
            if (e.UniqueId is { } uid && e.Flags.HasFlag(MessageFlags.Flagged)) flagged.Add(uid);
        };
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly, uidValidity, modseq, known);
        Assert.Equal(7, client.Inbox.Count);
        await client.DisconnectAsync(true);
        return (vanished.Order().ToList(), flagged);
    }

    [Fact]
    public async Task ApiDeltaFromBeforeTheHorizonIs410WithTheModseqToRestartFrom()
    {
        var (address, api) = await ApiUsers.CreateAsync(host);
        using var _ = api;
        var start = await ChangesAsync(api, null);
        var first = start.GetProperty("highest_modseq").GetInt64();

        await LifecycleMail.SendAsync(host, [address], 3, 100, "delta");
        var page = await ChangesAsync(api, first);
        var changes = page.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(3, changes.Count);
        Assert.All(changes, c => Assert.Equal("added", c.GetProperty("kind").GetString()));
        Assert.All(changes, c => Assert.Equal("INBOX", c.GetProperty("folder").GetString()));
        var position = page.GetProperty("highest_modseq").GetInt64();
        Assert.Equal(changes[^1].GetProperty("modseq").GetInt64(), position);

        await LifecycleMail.SendAsync(host, [address], 5, 100, "more");
        Assert.True((await PruneAsync()).Ran);

        // Behind the horizon: 410, a problem a client can act on, and where to continue after listing everything again.
        var gone = await api.GetAsync($"/v1/changes?since={first}");
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        Assert.Equal("application/problem+json", gone.Content.Headers.ContentType?.MediaType);
        var problem = await gone.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Resynchronize", problem.GetProperty("detail").GetString());
        var restart = problem.GetProperty("highest_modseq").GetInt64();
        Assert.True(restart >= position + 5);
        Assert.Empty((await ChangesAsync(api, restart)).GetProperty("changes").EnumerateArray());

        // A client that kept up is not affected.
        var recent = await ChangesAsync(api, restart - 2);
        Assert.Equal(2, recent.GetProperty("changes").GetArrayLength());
    }

    [Fact]
    public async Task AForgottenDeliveryIdFilesARetriedDeliveryAgain()
    {
        var (address, api) = await ApiUsers.CreateAsync(host);
        using var _ = api;
        var body = Encoding.ASCII.GetBytes($"From: <sender@remote.example>\r\nTo: <{address}>\r\nSubject: retried\r\nMessage-ID: <{Guid.NewGuid():N}@remote.example>\r\n\r\nsame bytes\r\n");
        var smtp = new RawSmtpClient("127.0.0.1", host.SmtpPort);

        Assert.Null(await smtp.SendAsync("sender@remote.example", address, body, CancellationToken.None));
        Assert.Null(await smtp.SendAsync("sender@remote.example", address, body, CancellationToken.None));
        Assert.Single(await ApiUsers.ListAsync(api));

        // Past the delivery-id retention (0 days here) the id is forgotten: the same retry is a new delivery.
        var pass = await PruneAsync();
        Assert.True(pass.Deliveries >= 1);
        Assert.Null(await smtp.SendAsync("sender@remote.example", address, body, CancellationToken.None));
        Assert.Equal(2, (await ApiUsers.ListAsync(api)).Length);
    }

    private static async Task<JsonElement> ChangesAsync(HttpClient api, long? since)
    {
        var response = await api.GetAsync(since is null ? "/v1/changes" : $"/v1/changes?since={since}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
