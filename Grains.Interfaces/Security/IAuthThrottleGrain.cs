namespace Mail.Grains.Interfaces.Security;

/// <summary>
/// Failed logins from one client address (keyed by <see cref="ThrottleKey"/>), counted across every protocol and
/// connection: per user name tried from that address, and for the address as a whole.
/// </summary>
[Alias("mail.IAuthThrottleGrain")]
public interface IAuthThrottleGrain : IGrainWithStringKey
{
    /// <summary>Whether a login as <paramref name="user"/> from this address may be checked now, and its recent failures.</summary>
    Task<AuthThrottleState> CheckAsync(string user);

    /// <summary>Counts a failed login as <paramref name="user"/>; answers the standing after it.</summary>
    Task<AuthThrottleState> RecordFailureAsync(string user);

    /// <summary>
    /// Forgets the failures of <paramref name="user"/> from this address after a successful login; the address's own
    /// count stays, so logging in to one's own account between guesses at others resets nothing.
    /// </summary>
    Task RecordSuccessAsync(string user);
}
