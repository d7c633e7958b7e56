namespace Mail.Grains.Interfaces.Bulk;

/// <summary>Whom an unsubscribe token names: the tenant whose mail it stops and the recipient's address.</summary>
[GenerateSerializer, Immutable, Alias("mail.UnsubscribeTarget")]
public sealed record UnsubscribeTarget(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string Address);
