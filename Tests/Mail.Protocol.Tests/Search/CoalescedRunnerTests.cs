using Mail.Grains.Search.Indexing;

namespace Mail.Protocol.Tests.Search;

/// <summary>The indexer's catch-ups: one in flight, at most one queued, every request answered by a pass that started after it.</summary>
public sealed class CoalescedRunnerTests
{
    [Fact]
    public async Task RequestsDuringAPassShareOneQueuedPass()
    {
        var passes = 0;
        var gates = new List<TaskCompletionSource>();
        var runner = new CoalescedRunner<int>(async () =>
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            gates.Add(gate);
            var number = ++passes;
            await gate.Task;
            return number;
        });

        var first = runner.RequestAsync();
        var queued = Enumerable.Range(0, 10).Select(_ => runner.RequestAsync()).ToArray();
        Assert.Equal(1, passes);
        Assert.False(runner.Idle);

        gates[0].SetResult();
        Assert.Equal(1, await first);
        await WaitUntilAsync(() => gates.Count == 2);
        Assert.Equal(2, passes);
        gates[1].SetResult();
        Assert.All(await Task.WhenAll(queued), result => Assert.Equal(2, result));
        await WaitUntilAsync(() => runner.Idle);
        Assert.Equal(2, passes);
    }

    [Fact]
    public async Task AFailedPassFailsItsRequestsAndTheNextRequestRunsAgain()
    {
        var calls = 0;
        var runner = new CoalescedRunner<int>(async () =>
        {
            await Task.Yield();
            return ++calls == 1 ? throw new InvalidOperationException("broken") : calls;
        });
        await Assert.ThrowsAsync<InvalidOperationException>(runner.RequestAsync);
        await WaitUntilAsync(() => runner.Idle);
        Assert.Equal(2, await runner.RequestAsync());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }
}
