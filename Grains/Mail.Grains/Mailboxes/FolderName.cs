using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;

namespace Mail.Grains.Mailboxes;

/// <summary>Validation and canonical form of folder names ("/"-separated levels; INBOX is case-insensitive, RFC 9051 §5.1).</summary>
public static class FolderName
{
    /// <summary>Longest accepted folder name.</summary>
    public const int MaxLength = 255;

    /// <summary>The canonical name, or throws an Invalid <see cref="MailException"/>.</summary>
    public static string Canonical(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0) throw Invalid(name, "it is empty");
        if (trimmed.Length > MaxLength) throw Invalid(name, $"it is longer than {MaxLength} characters");
        if (trimmed.Any(c => char.IsControl(c) || c is '*' or '%')) throw Invalid(name, "it contains a control character, '*' or '%'");
        var levels = trimmed.Split(SpecialFolders.Delimiter);
        if (levels.Any(l => l.Length == 0 || l != l.Trim())) throw Invalid(name, "it has an empty level");
        if (string.Equals(levels[0], SpecialFolders.Inbox, StringComparison.OrdinalIgnoreCase)) levels[0] = SpecialFolders.Inbox;
        return string.Join(SpecialFolders.Delimiter, levels);
    }

    /// <summary>The names of the parents of a canonical name, outermost first.</summary>
    public static IEnumerable<string> Parents(string canonical)
    {
        for (var i = canonical.IndexOf(SpecialFolders.Delimiter); i > 0; i = canonical.IndexOf(SpecialFolders.Delimiter, i + 1))
        {
            yield return canonical[..i];
        }
    }

    /// <summary>Whether <paramref name="name"/> is <paramref name="ancestor"/> or below it.</summary>
    public static bool IsSelfOrBelow(string name, string ancestor) =>
        name == ancestor || name.StartsWith(ancestor + SpecialFolders.Delimiter, StringComparison.Ordinal);

    private static MailException Invalid(string? name, string why) => new(MailErrorCode.Invalid, $"Folder name '{name}' is not allowed: {why}.");
}
