namespace Mail.Grains.Accounts;

/// <summary>Defaults applied to new accounts.</summary>
public sealed class AccountDefaults
{
    /// <summary>Quota of a new account when none is given: 500 MB.</summary>
    public long QuotaBytes { get; set; } = 500L * 1000 * 1000;
}
