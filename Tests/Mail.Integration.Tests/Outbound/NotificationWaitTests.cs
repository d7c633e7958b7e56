using Mail.Grains.Outbound;
using Npgsql;

namespace Mail.Integration.Tests.Outbound;

/// <summary>
/// The scheduler's wait on its LISTEN connection against real Npgsql and PostgreSQL: a sleep under a millisecond
/// must time out, not become Npgsql's "0 = forever" (the cause of due rows left unsent after a restart).
/// </summary>
public sealed class NotificationWaitTests
{
    [Theory]
    [InlineData(0.0001)]
    [InlineData(0.4)]
    [InlineData(0.999)]
    [InlineData(3)]
    public async Task ASleepShorterThanAMillisecondStillTimesOut(double milliseconds)
    {
        await using var listener = new NpgsqlConnection(Environment.GetEnvironmentVariable("MAIL_TEST_PG"));
        await listener.OpenAsync();
        await using (var listen = new NpgsqlCommand("LISTEN notification_wait_test", listener)) await listen.ExecuteNonQueryAsync();

        var wait = NotificationWait.WaitAsync(listener, TimeSpan.FromMilliseconds(milliseconds), CancellationToken.None);
        var finished = await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.Same(wait, finished);
        Assert.False(await wait);
    }

    [Fact]
    public async Task ANotificationEndsTheWaitEarly()
    {
        var server = Environment.GetEnvironmentVariable("MAIL_TEST_PG");
        await using var listener = new NpgsqlConnection(server);
        await listener.OpenAsync();
        await using (var listen = new NpgsqlCommand("LISTEN notification_wait_early", listener)) await listen.ExecuteNonQueryAsync();
        await using var sender = new NpgsqlConnection(server);
        await sender.OpenAsync();

        var wait = NotificationWait.WaitAsync(listener, TimeSpan.FromSeconds(30), CancellationToken.None);
        await using (var notify = new NpgsqlCommand("NOTIFY notification_wait_early", sender)) await notify.ExecuteNonQueryAsync();

        Assert.Same(wait, await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.True(await wait);
    }

    [Theory]
    [InlineData(0.0001, 1)]
    [InlineData(1.0, 1)]
    [InlineData(1.2, 2)]
    [InlineData(30000, 30000)]
    public void TimeoutsRoundUpToWholeMilliseconds(double milliseconds, int expected) =>
        Assert.Equal(expected, NotificationWait.Milliseconds(TimeSpan.FromMilliseconds(milliseconds)));
}
