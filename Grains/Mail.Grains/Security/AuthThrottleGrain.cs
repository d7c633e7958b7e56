using Mail.Grains.Hosting;
using Mail.Grains.Interfaces.Security;
using Microsoft.Extensions.Options;

namespace Mail.Grains.Security;

/// <summary>
/// Counts failed logins from one client address in memory (see <see cref="IAuthThrottleGrain"/>). One activation per
/// address in the cluster, so every frontend and connection adds to the same count and reconnecting resets nothing.
/// The counts are not persisted: the activation is kept alive while it remembers anything (DelayDeactivation), so
/// only a silo's loss or restart forgets them, which gives a guesser a fresh window at most once per restart.
/// </summary>
public sealed class AuthThrottleGrain(IOptions<AuthThrottleOptions> options, MailClock clock) : Grain, IAuthThrottleGrain
{
    private readonly AuthThrottleOptions _options = options.Value;
    private readonly FailureWindow _address = new();
    private readonly Dictionary<string, FailureWindow> _users = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<AuthThrottleState> CheckAsync(string user)
    {
        var now = clock.GetUtcNow();
        if (_address.IsLocked(now)) return Task.FromResult(new AuthThrottleState(true, _options.AccountFailures));
        if (!_users.TryGetValue(user, out var window)) return Task.FromResult(new AuthThrottleState(false, 0));
        return Task.FromResult(new AuthThrottleState(window.IsLocked(now), window.Count(now, _options.AccountWindow)));
    }

    /// <inheritdoc />
    public Task<AuthThrottleState> RecordFailureAsync(string user)
    {
        var now = clock.GetUtcNow();
        Forget(now);
        _address.Add(now, _options.AddressWindow, _options.AddressFailures, _options.AddressLockout);
        if (!_users.TryGetValue(user, out var window)) _users[user] = window = new FailureWindow();
        var count = window.Add(now, _options.AccountWindow, _options.AccountFailures, _options.AccountLockout);
        var remember = Max(_address.LockedUntil, window.LockedUntil, now + Max(_options.AccountWindow, _options.AddressWindow)) - now;
        DelayDeactivation(remember);
        return Task.FromResult(new AuthThrottleState(_address.IsLocked(now) || window.IsLocked(now), count));
    }

    /// <inheritdoc />
    public Task RecordSuccessAsync(string user)
    {
        _users.Remove(user);
        return Task.CompletedTask;
    }

    // Drops user names with nothing left to remember, so memory follows recent failures, not every name ever tried.
    private void Forget(DateTimeOffset now)
    {
        foreach (var (user, window) in _users)
        {
            if (window.IsIdle(now, _options.AccountWindow)) _users.Remove(user);
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b, DateTimeOffset c) => new[] { a, b, c }.Max();

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
