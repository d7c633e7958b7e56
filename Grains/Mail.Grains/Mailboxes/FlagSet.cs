using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Grains.Mailboxes;

/// <summary>Canonical flags and labels: system flags in their RFC 9051 §2.3.2 spelling, keywords and labels as given, no duplicates.</summary>
public static class FlagSet
{
    private static readonly string[] SystemFlags =
        [MessageFlags.Seen, MessageFlags.Answered, MessageFlags.Flagged, MessageFlags.Deleted, MessageFlags.Draft];

    /// <summary>Longest accepted flag or label.</summary>
    public const int MaxLength = 100;

    /// <summary>The canonical spelling of one flag, or throws an Invalid <see cref="MailException"/>.</summary>
    public static string CanonicalFlag(string flag)
    {
        var trimmed = Check(flag, "flag");
        if (trimmed.StartsWith('\\'))
        {
            return SystemFlags.FirstOrDefault(f => string.Equals(f, trimmed, StringComparison.OrdinalIgnoreCase))
                ?? throw new MailException(MailErrorCode.Invalid, $"'{flag}' is not a system flag.");
        }
        return trimmed;
    }

    /// <summary>A label, trimmed and checked.</summary>
    public static string CanonicalLabel(string label) => Check(label, "label");

    /// <summary>Applies additions and removals to a set, keeping the order of first appearance.</summary>
    public static string[] Apply(IEnumerable<string> current, IEnumerable<string>? add, IEnumerable<string>? remove)
    {
        var result = current.ToList();
        foreach (var item in add ?? []) if (!result.Contains(item)) result.Add(item);
        foreach (var item in remove ?? []) result.Remove(item);
        return result.ToArray();
    }

    private static string Check(string value, string what)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length is 0 or > MaxLength || trimmed.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) && what == "flag"))
        {
            throw new MailException(MailErrorCode.Invalid, $"'{value}' is not a valid {what}.");
        }
        return trimmed;
    }
}
