namespace Mail.Grains.Security;

/// <summary>
/// Login throttling, bound from "Mail:Security"; the defaults follow fail2ban's: 10 failures within 15 minutes lock
/// that client address out of that account for 15 minutes, and 100 failures within an hour refuse the address for an hour.
/// </summary>
public sealed class AuthThrottleOptions
{
    /// <summary>Failures of one user name from one address that start a lockout.</summary>
    public int AccountFailures { get; set; } = 10;

    /// <summary>How far back those failures count.</summary>
    public TimeSpan AccountWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long the address is then locked out of that user name.</summary>
    public TimeSpan AccountLockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failures from one address, whatever the user name, that refuse the address.</summary>
    public int AddressFailures { get; set; } = 100;

    /// <summary>How far back those failures count.</summary>
    public TimeSpan AddressWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long the address is then refused.</summary>
    public TimeSpan AddressLockout { get; set; } = TimeSpan.FromHours(1);
}
