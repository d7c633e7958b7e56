namespace Mail.Grains.Interfaces.Bulk;

/// <summary>One recipient of a bulk job: the address and its substitutions as a JSON object of strings (null: none).</summary>
[GenerateSerializer, Immutable, Alias("mail.BulkRecipient")]
public sealed record BulkRecipient(
    [property: Id(0)] string To,
    [property: Id(1)] string? VarsJson);
