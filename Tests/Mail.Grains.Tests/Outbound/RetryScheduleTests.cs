using Mail.Grains.Outbound;

namespace Mail.Grains.Tests.Outbound;

/// <summary>The retry schedule on a fixed clock: doubling from the minimal to the maximal backoff, jitter, and the lifetime.</summary>
public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset Queued = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
    private static readonly RetrySchedule Schedule = new(TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(4000), TimeSpan.FromHours(120));
    private static readonly DateTimeOffset Expires = Queued + Schedule.QueueLifetime;

    [Theory]
    [InlineData(1, 300)]
    [InlineData(2, 600)]
    [InlineData(3, 1200)]
    [InlineData(4, 2400)]
    [InlineData(5, 4000)]
    [InlineData(40, 4000)]
    public void DelayDoublesFromTheMinimalToTheMaximalBackoff(int attempts, int seconds)
    {
        // A jitter sample of 0.5 is the midpoint: no jitter.
        var next = Schedule.NextAttempt(attempts, Queued, Expires, 0.5);
        Assert.Equal(Queued + TimeSpan.FromSeconds(seconds), next);
    }

    [Fact]
    public void JitterSpreadsAQuarterEitherWayButStaysWithinTheBounds()
    {
        Assert.Equal(Queued + TimeSpan.FromSeconds(900), Schedule.NextAttempt(3, Queued, Expires, 0.0));
        Assert.Equal(Queued + TimeSpan.FromSeconds(1500), Schedule.NextAttempt(3, Queued, Expires, 1.0));
        Assert.Equal(Queued + TimeSpan.FromSeconds(300), Schedule.NextAttempt(1, Queued, Expires, 0.0));
        Assert.Equal(Queued + TimeSpan.FromSeconds(4000), Schedule.NextAttempt(9, Queued, Expires, 1.0));
    }

    [Fact]
    public void TheLastAttemptIsMadeWhenTheLifetimeEnds()
    {
        var late = Expires - TimeSpan.FromSeconds(100);
        Assert.Equal(Expires, Schedule.NextAttempt(30, late, Expires, 0.5));
    }

    [Fact]
    public void ADeferralAfterTheLifetimeGivesUp()
    {
        Assert.Null(Schedule.NextAttempt(30, Expires, Expires, 0.5));
        Assert.Null(Schedule.NextAttempt(30, Expires + TimeSpan.FromMinutes(1), Expires, 0.5));
    }

    [Fact]
    public void OptionsDescribeTheSchedule()
    {
        var schedule = RetrySchedule.From(new OutboundOptions { MinimalBackoffSeconds = 10, MaximalBackoffSeconds = 20, QueueLifetimeHours = 2 });
        Assert.Equal(new RetrySchedule(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromHours(2)), schedule);
    }
}
