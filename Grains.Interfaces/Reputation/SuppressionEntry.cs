namespace Mail.Grains.Interfaces.Reputation;

/// <summary>One address on a tenant's suppression list.</summary>
/// <param name="Address">The address, lower-cased.</param>
/// <param name="Reason">One of <see cref="SuppressionReasons"/>.</param>
/// <param name="CreatedAt">When it was added (or last replaced by a stronger entry).</param>
/// <param name="ExpiresAt">When it stops applying; null: never.</param>
/// <param name="Detail">What caused it: the remote reply, the complaint's feedback type, or the tenant's note.</param>
[GenerateSerializer, Immutable, Alias("mail.SuppressionEntry")]
public sealed record SuppressionEntry(
    [property: Id(0)] string Address,
    [property: Id(1)] string Reason,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset? ExpiresAt,
    [property: Id(4)] string? Detail);

/// <summary>A page of a suppression list in address order; <paramref name="Next"/> is the cursor of the next page, null at the end.</summary>
[GenerateSerializer, Immutable, Alias("mail.SuppressionPage")]
public sealed record SuppressionPage(
    [property: Id(0)] IReadOnlyList<SuppressionEntry> Items,
    [property: Id(1)] string? Next);
