namespace Mail.Grains.Reputation;

/// <summary>A tag=value list (RFC 6376 §3.2, also DMARC's RFC 7489 §6.4), with folding whitespace removed from values.</summary>
public static class DkimTags
{
    /// <summary>The tags of <paramref name="text"/>; names are case-sensitive, a repeated tag keeps its first value.</summary>
    public static Dictionary<string, string> Parse(string text)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(';'))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0) continue;
            // §3.6.1: p= is base64 with FWS allowed anywhere; no tag value we compare holds meaningful spaces.
            var value = string.Concat(part[(equals + 1)..].Where(c => !char.IsWhiteSpace(c)));
            tags.TryAdd(part[..equals].Trim(), value);
        }
        return tags;
    }
}
