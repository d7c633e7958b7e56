using System.Net.Http.Json;
using System.Text.Json;
using Mail.Frontends.Http.Push;
using Mail.Grains.Lifecycle;
using Mail.Integration.Tests.Lifecycle;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Mail.Integration.Tests.Push;

/// <summary>
/// /v1/hub with the real SignalR client over real sockets: mail delivered over SMTP reaches its own account's
/// connections only, and Resync gives back exactly what a disconnected client missed, or "reload" past the horizon.
/// </summary>
public sealed class MailboxHubTests(PushHostFixture host) : IClassFixture<PushHostFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SmtpDeliveryReachesTheConnectedClientAsAnAddedEvent(bool messagePack)
    {
        var (address, api) = await ApiUsers.CreateAsync(host);
        using var _ = api;
        await using var hub = await host.ConnectAsync(api, messagePack);
        var events = new HubEvents(hub);

        await LifecycleMail.SendAsync(host, [address], 1, 100, "pushed");

        var (added, _) = await events.NextAsync(e => e.Kind == "added");
        Assert.Equal("INBOX", added.Folder);
        Assert.Single(added.MessageIds);
        Assert.Single(added.Uids);
        Assert.Equal(added.PreviousModseq + 1, added.Modseq);
        var listed = await ApiUsers.ListAsync(api);
        Assert.Equal(added.MessageIds[0], long.Parse(listed.Single().GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task AClientNeverHearsAnotherAccountsEvents()
    {
        var (alice, aliceApi) = await ApiUsers.CreateAsync(host);
        var (bob, bobApi) = await ApiUsers.CreateAsync(host);
        using var _ = aliceApi;
        using var __ = bobApi;
        await using var aliceHub = await host.ConnectAsync(aliceApi);
        await using var bobHub = await host.ConnectAsync(bobApi, messagePack: true);
        var aliceEvents = new HubEvents(aliceHub);
        var bobEvents = new HubEvents(bobHub);

        await LifecycleMail.SendAsync(host, [bob], 3, 100, "for bob");
        for (var i = 0; i < 3; i++) await bobEvents.NextAsync(e => e.Kind == "added");
        // Then one for alice: everything sent before it has been published by now, and none of it reached her.
        await LifecycleMail.SendAsync(host, [alice], 1, 100, "for alice");
        var (mine, _) = await aliceEvents.NextAsync(_ => true);

        Assert.Equal("added", mine.Kind);
        Assert.Empty(aliceEvents.Drain());
        Assert.Empty(bobEvents.Drain());
    }

    [Fact]
    public async Task ResyncAfterADisconnectReturnsExactlyTheMissedChanges()
    {
        var (address, api) = await ApiUsers.CreateAsync(host);
        using var _ = api;
        await LifecycleMail.SendAsync(host, [address], 1, 100, "seen live");
        long known;
        await using (var hub = await host.ConnectAsync(api))
        {
            known = (await hub.InvokeAsync<ResyncResult>("Resync", 0L)).Modseq;
        }

        // While away: two messages come and one of them is deleted (moved to Trash).
        await LifecycleMail.SendAsync(host, [address], 2, 100, "missed");
        var ids = (await ApiUsers.ListAsync(api)).Select(m => long.Parse(m.GetProperty("id").GetString()!)).ToList();
        (await api.DeleteAsync($"/v1/emails/{ids[0]}")).EnsureSuccessStatusCode();

        await using var again = await host.ConnectAsync(api, messagePack: true);
        var missed = await again.InvokeAsync<ResyncResult>("Resync", known);

        Assert.False(missed.Reload);
        Assert.False(missed.More);
        var changes = await api.GetFromJsonAsync<JsonElement>($"/v1/changes?since={known}");
        var expected = changes.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("modseq").GetInt64()).ToList();
        Assert.Equal(4, expected.Count);
        Assert.Equal(expected[^1], missed.Modseq);
        Assert.Equal(["added", "expunged", "added"], missed.Events.Select(e => e.Kind));
        Assert.Equal(["INBOX", "INBOX", "Trash"], missed.Events.Select(e => e.Folder));
        Assert.Equal(2, missed.Events[0].MessageIds.Length);
        Assert.Equal([ids[0]], missed.Events[1].MessageIds);
        Assert.Equal([ids[0]], missed.Events[2].MessageIds);
        Assert.Equal(known, missed.Events[0].PreviousModseq);
        for (var i = 1; i < missed.Events.Length; i++) Assert.Equal(missed.Events[i - 1].Modseq, missed.Events[i].PreviousModseq);
        Assert.Empty((await again.InvokeAsync<ResyncResult>("Resync", missed.Modseq)).Events);
    }

    [Fact]
    public async Task ResyncFromBehindTheHorizonSaysReload()
    {
        var (address, api) = await ApiUsers.CreateAsync(host);
        using var _ = api;
        await LifecycleMail.SendAsync(host, [address], PushHostFixture.MaxChanges + 3, 100, "many");
        var pass = await host.Services.GetRequiredService<MailboxRetention>().RunOnceAsync(CancellationToken.None);
        Assert.True(pass.Changes > 0);

        await using var hub = await host.ConnectAsync(api);
        var answer = await hub.InvokeAsync<ResyncResult>("Resync", 1L);

        Assert.True(answer.Reload);
        Assert.Empty(answer.Events);
        var highest = (await api.GetFromJsonAsync<JsonElement>("/v1/changes")).GetProperty("highest_modseq").GetInt64();
        Assert.Equal(highest, answer.Modseq);
    }

    [Fact]
    public async Task TheHubRefusesAnUnauthenticatedClient()
    {
        var connection = new HubConnectionBuilder().WithUrl(new Uri(host.BaseAddress, "v1/hub")).Build();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
