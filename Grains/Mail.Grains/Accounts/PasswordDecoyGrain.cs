using Mail.Grains.Interfaces.Accounts;
using Orleans.Concurrency;

namespace Mail.Grains.Accounts;

/// <summary>Costs a login for an unknown user one Argon2id verification, like a wrong password; see <see cref="IPasswordDecoyGrain"/>.</summary>
[StatelessWorker]
public sealed class PasswordDecoyGrain(PasswordHasher hasher) : Grain, IPasswordDecoyGrain
{
    /// <inheritdoc />
    public async Task<AccountInfo?> AuthenticateAsync(string password)
    {
        await hasher.VerifyDecoyAsync(password);
        return null;
    }
}
