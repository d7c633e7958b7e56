namespace Mail.Grains.Tests.Cluster;

/// <summary>Reminder probe: ticks are counted in memory, which is enough while the activation lives.</summary>
public sealed class AdoNetReminderGrain : Grain, IAdoNetReminderGrain, IRemindable
{
    private int _ticks;

    /// <inheritdoc />
    public Task RegisterAsync(string name, TimeSpan dueTime, TimeSpan period) =>
        this.RegisterOrUpdateReminder(name, dueTime, period);

    /// <inheritdoc />
    public async Task<bool> UnregisterAsync(string name)
    {
        var reminder = await this.GetReminder(name);
        if (reminder is null) return false;
        await this.UnregisterReminder(reminder);
        return true;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetReminderNamesAsync() =>
        (await this.GetReminders()).Select(r => r.ReminderName).Order(StringComparer.Ordinal).ToList();

    /// <inheritdoc />
    public async Task<bool> HasReminderAsync(string name) => await this.GetReminder(name) is not null;

    /// <inheritdoc />
    public Task<int> GetTicksAsync() => Task.FromResult(_ticks);

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _ticks++;
        return Task.CompletedTask;
    }
}
