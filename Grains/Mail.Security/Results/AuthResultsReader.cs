namespace Mail.Security.Results;

/// <summary>Reads an Authentication-Results field value (RFC 8601 §2.2) into its authserv-id and results.</summary>
public static class AuthResultsReader
{
    /// <summary>The results of <paramref name="value"/>, or null when it has no authserv-id.</summary>
    public static (string AuthServId, IReadOnlyList<AuthResult> Results)? Read(string value)
    {
        var id = AuthResultsSyntax.AuthServId(value);
        if (id is null) return null;
        var parts = AuthResultsSyntax.StripComments(value).Split(';');
        var results = new List<AuthResult>();
        foreach (var part in parts.Skip(1))
        {
            var words = part.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) continue;
            var first = words[0].Split('=', 2);
            // RFC 8601 §2.2: "none" alone says no method was applied.
            if (first.Length != 2) continue;
            var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var word in words.Skip(1))
            {
                var pair = word.Split('=', 2);
                if (pair.Length == 2) properties.TryAdd(pair[0], pair[1].Trim('"'));
            }
            results.Add(new AuthResult(first[0].Split('/')[0].ToLowerInvariant(), first[1].ToLowerInvariant(), properties));
        }
        return (id, results);
    }
}
