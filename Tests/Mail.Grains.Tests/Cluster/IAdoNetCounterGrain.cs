namespace Mail.Grains.Tests.Cluster;

/// <summary>A counter kept in ADO.NET grain storage, reporting which activation answered.</summary>
[Alias("mail.tests.IAdoNetCounterGrain")]
public interface IAdoNetCounterGrain : IGrainWithStringKey
{
    /// <summary>Adds one and writes the state.</summary>
    Task<AdoNetCounterSnapshot> IncrementAsync();

    /// <summary>The current count, without writing.</summary>
    Task<AdoNetCounterSnapshot> GetAsync();

    /// <summary>Asks the runtime to deactivate this activation once the call returns.</summary>
    Task DeactivateAsync();
}
