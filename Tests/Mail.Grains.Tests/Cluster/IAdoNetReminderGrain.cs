namespace Mail.Grains.Tests.Cluster;

/// <summary>Registers reminders in the ADO.NET reminder table and counts the ticks it receives.</summary>
[Alias("mail.tests.IAdoNetReminderGrain")]
public interface IAdoNetReminderGrain : IGrainWithStringKey
{
    /// <summary>Registers (or updates) a reminder.</summary>
    Task RegisterAsync(string name, TimeSpan dueTime, TimeSpan period);

    /// <summary>Removes a reminder; false if it was not registered.</summary>
    Task<bool> UnregisterAsync(string name);

    /// <summary>The names of this grain's registered reminders, as the reminder service reads them.</summary>
    Task<IReadOnlyList<string>> GetReminderNamesAsync();

    /// <summary>Whether the reminder service finds the named reminder.</summary>
    Task<bool> HasReminderAsync(string name);

    /// <summary>Ticks received by this activation.</summary>
    Task<int> GetTicksAsync();
}
