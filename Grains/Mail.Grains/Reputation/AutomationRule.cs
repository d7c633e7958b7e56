using System.Text.RegularExpressions;

namespace Mail.Grains.Reputation;

/// <summary>A compiled automation rule (see <see cref="Options.AutomationRuleOptions"/>).</summary>
public sealed record AutomationRule(string Name, Regex Pattern, string? Provider, int Threshold, TimeSpan Window, string Action,
    MessageRate? Rate, TimeSpan Duration)
{
    /// <summary>Whether a reply from <paramref name="provider"/> with <paramref name="text"/> matches.</summary>
    public bool Matches(string provider, string text) =>
        (Provider is null || string.Equals(Provider, provider, StringComparison.OrdinalIgnoreCase)) && Pattern.IsMatch(text);
}
