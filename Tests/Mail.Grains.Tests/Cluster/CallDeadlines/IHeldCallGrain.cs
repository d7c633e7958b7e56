namespace Mail.Grains.Tests.Cluster.CallDeadlines;

/// <summary>A grain whose first call of each method never answers, as when its silo dies with the call in flight.</summary>
[Alias("mail.tests.IHeldCallGrain")]
public interface IHeldCallGrain : IGrainWithIntegerKey
{
    /// <summary>The silo this activation runs on.</summary>
    Task<string> WhereAsync();

    /// <summary>A read (its implementation is marked read-only): held the first time, then the silo's address.</summary>
    Task<string> ReadAsync();

    /// <summary>Not a read: held the first time, then the silo's address.</summary>
    Task<string> WriteAsync();
}
