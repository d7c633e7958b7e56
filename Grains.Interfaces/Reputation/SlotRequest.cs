namespace Mail.Grains.Interfaces.Reputation;

/// <summary>One job's request to a pool: how many messages (recipients) it would send to which receiving provider.</summary>
[GenerateSerializer, Immutable, Alias("mail.SlotRequest")]
public sealed record SlotRequest(
    [property: Id(0)] string Provider,
    [property: Id(1)] int Messages);
