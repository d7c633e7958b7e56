namespace Mail.Grains.Tests.Cluster;

/// <summary>The persisted document of <see cref="AdoNetCounterGrain"/>.</summary>
/// <remarks>
/// The default ADO.NET storage serializer writes Newtonsoft JSON with a "$type" name and, on read, resolves that name
/// only for types on Orleans' allow-list: [GenerateSerializer] is what puts this type there.
/// </remarks>
[GenerateSerializer, Alias("mail.tests.AdoNetCounterState")]
public sealed class AdoNetCounterState
{
    /// <summary>Increments so far.</summary>
    [Id(0)]
    public int Count { get; set; }
}
