using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Mail.Security.Spf;

/// <summary>A parsed "v=spf1" record (RFC 7208 §4.6, §12 ABNF): its mechanisms in order and the redirect modifier.</summary>
public sealed record SpfRecord(IReadOnlyList<SpfTerm> Mechanisms, string? Redirect)
{
    private static readonly HashSet<string> Mechanism = ["all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"];

    /// <summary>Parses the record; null on a syntax error (a permerror, RFC 7208 §4.6).</summary>
    public static SpfRecord? Parse(string text)
    {
        var mechanisms = new List<SpfTerm>();
        string? redirect = null;
        var exp = false;
        foreach (var token in text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var equals = token.IndexOf('=');
            var colon = token.IndexOfAny([':', '/']);
            if (equals > 0 && (colon < 0 || equals < colon))
            {
                var name = token[..equals].ToLowerInvariant();
                if (!IsName(name)) return null;
                var value = token[(equals + 1)..];
                // RFC 7208 §6: redirect and exp may each appear once; unknown modifiers are ignored.
                if (name == "redirect")
                {
                    if (redirect is not null || value.Length == 0) return null;
                    redirect = value;
                }
                else if (name == "exp")
                {
                    if (exp) return null;
                    exp = true;
                }
                continue;
            }
            var term = ParseMechanism(token);
            if (term is null) return null;
            mechanisms.Add(term);
        }
        // RFC 7208 §6.1: redirect is ignored when the record has "all".
        return new SpfRecord(mechanisms, mechanisms.Any(m => m.Name == "all") ? null : redirect);
    }

    private static SpfTerm? ParseMechanism(string token)
    {
        var qualifier = token[0] is '+' or '-' or '~' or '?' ? token[0] : '+';
        if (token[0] is '+' or '-' or '~' or '?') token = token[1..];
        var end = token.IndexOfAny([':', '/']);
        var name = (end < 0 ? token : token[..end]).ToLowerInvariant();
        if (!Mechanism.Contains(name)) return null;
        var rest = end < 0 ? "" : token[end..];
        switch (name)
        {
            case "all":
                return rest.Length == 0 ? new SpfTerm(qualifier, name, null) : null;
            case "ip4":
            case "ip6":
            {
                if (!rest.StartsWith(':')) return null;
                var slash = rest.IndexOf('/');
                var address = slash < 0 ? rest[1..] : rest[1..slash];
                var family = name == "ip4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
                if (!IPAddress.TryParse(address, out var ip) || ip.AddressFamily != family) return null;
                var max = name == "ip4" ? 32 : 128;
                var prefix = max;
                if (slash >= 0 && !TryPrefix(rest[(slash + 1)..], max, out prefix)) return null;
                return name == "ip4"
                    ? new SpfTerm(qualifier, name, null, Ip4Prefix: prefix, Network: ip)
                    : new SpfTerm(qualifier, name, null, Ip6Prefix: prefix, Network: ip);
            }
            case "a":
            case "mx":
            {
                string? spec = null;
                if (rest.StartsWith(':'))
                {
                    var slash = rest.IndexOf('/');
                    spec = slash < 0 ? rest[1..] : rest[1..slash];
                    if (spec.Length == 0) return null;
                    rest = slash < 0 ? "" : rest[slash..];
                }
                var (ip4, ip6) = (32, 128);
                if (rest.Length > 0 && !TryDualCidr(rest, out ip4, out ip6)) return null;
                return new SpfTerm(qualifier, name, spec, ip4, ip6);
            }
            default:
            {
                // include, exists: a domain-spec is required; ptr: optional.
                if (rest.Length == 0) return name == "ptr" ? new SpfTerm(qualifier, name, null) : null;
                if (!rest.StartsWith(':') || rest.Length == 1 || rest.Contains('/') && name != "exists") return null;
                return new SpfTerm(qualifier, name, rest[1..]);
            }
        }
    }

    /// <summary>dual-cidr-length (RFC 7208 §5.6): "/n", "//m" or "/n//m".</summary>
    private static bool TryDualCidr(string text, out int ip4, out int ip6)
    {
        (ip4, ip6) = (32, 128);
        var v6 = text.IndexOf("//", StringComparison.Ordinal);
        var v4Part = v6 < 0 ? text : text[..v6];
        if (v4Part.Length > 0 && (!v4Part.StartsWith('/') || !TryPrefix(v4Part[1..], 32, out ip4))) return false;
        return v6 < 0 || TryPrefix(text[(v6 + 2)..], 128, out ip6);
    }

    private static bool TryPrefix(string text, int max, out int prefix) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) && prefix <= max
        && (text.Length == 1 || text[0] != '0');

    private static bool IsName(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
