namespace Mail.Grains.Interfaces.Accounts;

/// <summary>
/// One account of a bulk creation (<see cref="ITenantGrain.CreateAccountsAsync"/>): a plaintext password, or a password
/// hash made elsewhere (an Argon2id PHC string, as a migration from Dovecot or another server carries), never both.
/// </summary>
[GenerateSerializer, Immutable, Alias("mail.BulkAccount")]
public sealed record BulkAccount(
    [property: Id(0)] string Address,
    [property: Id(1)] string? Password,
    [property: Id(2)] string? PasswordHash,
    [property: Id(3)] long? QuotaBytes)
{
    /// <summary>Most entries one <see cref="ITenantGrain.CreateAccountsAsync"/> call takes.</summary>
    public const int MaxPerCall = 10_000;
}

/// <summary>What became of one <see cref="BulkAccount"/>: the new account's id, or why it was not created.</summary>
[GenerateSerializer, Immutable, Alias("mail.BulkAccountOutcome")]
public sealed record BulkAccountOutcome(
    [property: Id(0)] string? AccountId,
    [property: Id(1)] string? Error);
