namespace Mail.Grains.Interfaces.Bulk;

/// <summary>
/// What every message of a bulk job is made from: the From field (an address, or "Name &lt;address&gt;"), the subject and
/// text and/or HTML body templates with <c>{{var}}</c> substitutions, and the mail class (<see cref="BulkMailClasses"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("mail.BulkJobSpec")]
public sealed record BulkJobSpec(
    [property: Id(0)] string From,
    [property: Id(1)] string Subject,
    [property: Id(2)] string? Text,
    [property: Id(3)] string? Html,
    [property: Id(4)] string Class);
