using System.Net;
using System.Text.RegularExpressions;
using Mail.Grains.Interfaces.Outbound;
using Microsoft.Extensions.Options;

namespace Mail.Grains.Reputation.Options;

/// <summary>Refuses to start a silo whose Mail:Reputation settings contradict themselves, saying which setting is wrong.</summary>
public sealed partial class ReputationOptionsValidator : IValidateOptions<ReputationOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ReputationOptions o)
    {
        var errors = new List<string>();
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (pool, settings) in o.Pools)
        {
            if (!PoolName().IsMatch(pool)) errors.Add($"Mail:Reputation:Pools:{pool}: a pool name is lower-case letters, digits, '.', '-' and '_'.");
            if (settings.Ips.Count + settings.WarmIps.Count == 0) errors.Add($"Mail:Reputation:Pools:{pool} has no Ips or WarmIps.");
            foreach (var ip in settings.Ips.Concat(settings.WarmIps))
            {
                if (!IPAddress.TryParse(ip.Trim(), out var address)) errors.Add($"Mail:Reputation:Pools:{pool}: '{ip}' is not an IP address.");
                else if (owner.TryGetValue(address.ToString(), out var other)) errors.Add($"Mail:Reputation: IP {address} is in pools {other} and {pool}; an IP belongs to one pool.");
                else owner[address.ToString()] = pool;
            }
            if (settings.Warmup is { } w && WarmupSchedule.Problem(WarmupSchedule.SpecOf(w)) is { } problem) errors.Add($"Mail:Reputation:Pools:{pool}:Warmup: {problem}.");
        }
        if (WarmupSchedule.Problem(WarmupSchedule.SpecOf(o.Warmup)) is { } schedule) errors.Add($"Mail:Reputation:Warmup: {schedule}.");
        for (var i = 0; i < o.Rules.Count; i++)
        {
            var rule = o.Rules[i];
            if (!o.Pools.ContainsKey(rule.Pool)) errors.Add($"Mail:Reputation:Rules:{i}: pool '{rule.Pool}' is not configured.");
            if (rule.Class is { Length: > 0 } c && StreamClasses.Parse(c) is null) errors.Add($"Mail:Reputation:Rules:{i}: Class must be transactional or marketing.");
        }
        if (o.DefaultPool is { Length: > 0 } d && !o.Pools.ContainsKey(d)) errors.Add($"Mail:Reputation:DefaultPool: pool '{d}' is not configured.");
        foreach (var (provider, shaping) in o.Providers)
        {
            if (!PoolName().IsMatch(provider)) errors.Add($"Mail:Reputation:Providers:{provider}: a provider name is lower-case letters, digits, '.', '-' and '_'.");
            if (shaping.MessageRate is { } rate && !MessageRate.TryParse(rate, out _)) errors.Add($"Mail:Reputation:Providers:{provider}:MessageRate '{rate}': write N/s, N/m, N/h or N/d.");
            if (shaping.Connections is < 1) errors.Add($"Mail:Reputation:Providers:{provider}:Connections must be at least 1.");
            if (shaping.MessagesPerConnection is < 1) errors.Add($"Mail:Reputation:Providers:{provider}:MessagesPerConnection must be at least 1.");
            if (shaping.MessageBurst < 1) errors.Add($"Mail:Reputation:Providers:{provider}:MessageBurst must be at least 1.");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < o.Automation.Count; i++)
        {
            var rule = o.Automation[i];
            var at = $"Mail:Reputation:Automation:{i}";
            if (string.IsNullOrWhiteSpace(rule.Name) || !names.Add(rule.Name)) errors.Add($"{at}: every rule needs a Name of its own.");
            if (!AutomationActions.All.Contains(rule.Action.ToLowerInvariant())) errors.Add($"{at}: Action must be one of {string.Join(", ", AutomationActions.All)}.");
            if (rule.Action.Equals(AutomationActions.Throttle, StringComparison.OrdinalIgnoreCase) && !MessageRate.TryParse(rule.Rate, out _)) errors.Add($"{at}: a throttle needs a Rate such as 100/h.");
            if (rule.Rate is { } r && !MessageRate.TryParse(r, out _)) errors.Add($"{at}:Rate '{r}': write N/s, N/m, N/h or N/d.");
            if (rule.Threshold < 1) errors.Add($"{at}: Threshold must be at least 1.");
            if (rule.Window <= TimeSpan.Zero || rule.Duration <= TimeSpan.Zero) errors.Add($"{at}: Window and Duration must be positive.");
            try
            {
                ReplyRules.Compile(rule);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or NotSupportedException)
            {
                errors.Add($"{at}: Pattern does not compile (linear-time matching): {e.Message}");
            }
        }
        var t = o.Thresholds;
        if (t.ReviewBounceRate is < 0 or > 1 || t.PauseBounceRate is < 0 or > 1 || t.ReviewComplaintRate is < 0 or > 1 || t.PauseComplaintRate is < 0 or > 1)
        {
            errors.Add("Mail:Reputation:Thresholds: rates are fractions between 0 and 1 (0.05 is 5%).");
        }
        if (t.ReviewBounceRate > t.PauseBounceRate || t.ReviewComplaintRate > t.PauseComplaintRate) errors.Add("Mail:Reputation:Thresholds: a review rate cannot be above its pause rate.");
        if (!MessageRate.TryParse(t.ReviewRate, out _)) errors.Add($"Mail:Reputation:Thresholds:ReviewRate '{t.ReviewRate}': write N/s, N/m, N/h or N/d.");
        if (t.WindowHours is < 1 or > 168) errors.Add("Mail:Reputation:Thresholds:WindowHours must be between 1 and 168.");
        if (t.MinimumMessages < 1 || t.LiftGraceHours < 0) errors.Add("Mail:Reputation:Thresholds: MinimumMessages must be at least 1 and LiftGraceHours not negative.");
        if (o.IdleDaysBeforeRewarm < 1 || o.HoldRecheckSeconds < 1 || o.CounterFlushMilliseconds < 50 || o.CounterRetentionDays < 8)
        {
            errors.Add("Mail:Reputation: IdleDaysBeforeRewarm and HoldRecheckSeconds must be at least 1, CounterFlushMilliseconds at least 50, CounterRetentionDays at least 8 (the 7-day window).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$")]
    private static partial Regex PoolName();
}
