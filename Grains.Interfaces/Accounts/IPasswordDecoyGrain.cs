namespace Mail.Grains.Interfaces.Accounts;

/// <summary>
/// Spends the same Argon2id work on a login for a user that does not exist as a wrong password costs, so the
/// answer's timing does not tell which addresses have accounts. A stateless worker: any silo, many at once.
/// </summary>
[Alias("mail.IPasswordDecoyGrain")]
public interface IPasswordDecoyGrain : IGrainWithIntegerKey
{
    /// <summary>Verifies <paramref name="password"/> against a hash nobody knows the password of; always fails.</summary>
    Task<AccountInfo?> AuthenticateAsync(string password);
}
