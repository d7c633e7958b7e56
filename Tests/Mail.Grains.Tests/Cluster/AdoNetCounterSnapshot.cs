namespace Mail.Grains.Tests.Cluster;

/// <summary>The counter value and the activation (and silo) that produced it.</summary>
[GenerateSerializer, Immutable, Alias("mail.tests.AdoNetCounterSnapshot")]
public sealed record AdoNetCounterSnapshot(
    [property: Id(0)] int Count,
    [property: Id(1)] Guid ActivationId,
    [property: Id(2)] string Silo,
    [property: Id(3)] string? ETag);
