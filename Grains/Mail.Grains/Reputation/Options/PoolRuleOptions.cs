namespace Mail.Grains.Reputation.Options;

/// <summary>An assignment rule: mail whose sending domain, tenant and class match every condition set goes to <see cref="Pool"/>.</summary>
public sealed class PoolRuleOptions
{
    /// <summary>The envelope sender's domain.</summary>
    public string? SendingDomain { get; set; }

    /// <summary>The sending tenant.</summary>
    public string? Tenant { get; set; }

    /// <summary>transactional or marketing.</summary>
    public string? Class { get; set; }

    /// <summary>The pool.</summary>
    public string Pool { get; set; } = "";
}
