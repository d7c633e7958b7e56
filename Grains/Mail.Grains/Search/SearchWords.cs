namespace Mail.Grains.Search;

/// <summary>Extra words indexed so free text finds parts of addresses and file names (alice finds alice@example.com).</summary>
public static class SearchWords
{
    private static readonly char[] Separators = ['@', '.', '<', '>', '"', ',', '_', '-', '+', '(', ')', '/'];

    /// <summary>The document's addresses, whole and split at their punctuation.</summary>
    public static string Addresses(SearchDocument document)
    {
        var all = new[] { document.From }.Concat(document.To).Concat(document.Cc).Concat(document.Bcc);
        return string.Join(' ', all.Select(Split));
    }

    /// <summary>File names, whole and split (report.pdf gives report, pdf).</summary>
    public static string FileNames(IEnumerable<string> names) => string.Join(' ', names.Select(Split));

    private static string Split(string text) => text + " " + string.Join(' ', text.Split(Separators, StringSplitOptions.RemoveEmptyEntries));
}
