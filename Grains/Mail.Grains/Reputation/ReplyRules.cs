using System.Text.RegularExpressions;
using Mail.Grains.Reputation.Options;

namespace Mail.Grains.Reputation;

/// <summary>
/// The automation rules, compiled once. Patterns run with <see cref="RegexOptions.NonBacktracking"/>, so a reply a
/// remote server controls is matched in time linear in its length (no catastrophic backtracking); replies are cut
/// to <see cref="MaxReplyLength"/> characters first.
/// </summary>
public sealed class ReplyRules
{
    /// <summary>The most of a reply a rule looks at.</summary>
    public const int MaxReplyLength = 1000;

    /// <summary>Built in, used when no rules are configured: Yahoo's TSS04 deferral, Gmail's and Microsoft's rate warnings.</summary>
    public static IReadOnlyList<AutomationRuleOptions> Defaults { get; } =
    [
        new() { Name = "yahoo-tss04", Pattern = @"\[TSS0[49]\]", Provider = "yahoo", Threshold = 1, Action = AutomationActions.Suspend, Duration = TimeSpan.FromMinutes(30) },
        new() { Name = "gmail-unsolicited", Pattern = "unusual rate of unsolicited mail", Provider = "gmail", Threshold = 3, Action = AutomationActions.Throttle, Rate = "100/h", Duration = TimeSpan.FromHours(2) },
        new() { Name = "microsoft-rate-limited", Pattern = @"4\.7\.650|temporarily rate limited", Provider = "microsoft", Threshold = 3, Action = AutomationActions.Throttle, Rate = "100/h", Duration = TimeSpan.FromHours(1) },
    ];

    /// <summary>Compiles <paramref name="rules"/> (validated beforehand).</summary>
    public ReplyRules(IEnumerable<AutomationRuleOptions> rules) => Rules = rules.Select(Compile).ToArray();

    /// <summary>The rules in order.</summary>
    public IReadOnlyList<AutomationRule> Rules { get; }

    /// <summary>The rule named <paramref name="name"/>, if any.</summary>
    public AutomationRule? Find(string name) => Rules.FirstOrDefault(r => r.Name == name);

    /// <summary>Every rule a reply from <paramref name="provider"/> matches.</summary>
    public IEnumerable<AutomationRule> Matching(string provider, string reply)
    {
        var text = reply.Length > MaxReplyLength ? reply[..MaxReplyLength] : reply;
        return Rules.Where(r => r.Matches(provider, text));
    }

    /// <summary>Compiles one rule; throws <see cref="ArgumentException"/> for a bad pattern or rate.</summary>
    public static AutomationRule Compile(AutomationRuleOptions o) => new(o.Name,
        new Regex(o.Pattern, RegexOptions.NonBacktracking | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant),
        string.IsNullOrWhiteSpace(o.Provider) ? null : o.Provider.ToLowerInvariant(), Math.Max(1, o.Threshold), o.Window, o.Action.ToLowerInvariant(),
        o.Rate is null ? null : MessageRate.Parse(o.Rate), o.Duration);
}
