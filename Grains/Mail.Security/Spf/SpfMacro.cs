using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mail.Security.Spf;

/// <summary>Macro expansion of domain-specs (RFC 7208 §7): letters s l o d i h v p, transformers (digits, r), delimiters, URL escaping of upper-case letters.</summary>
public static class SpfMacro
{
    /// <summary>Expands <paramref name="spec"/> for checking <paramref name="domain"/>; null when the macro syntax is wrong (a permerror, RFC 7208 §7.1).</summary>
    public static string? Expand(string spec, SpfRequest request, string domain)
    {
        if (!spec.Contains('%')) return spec;
        var output = new StringBuilder(spec.Length + 32);
        for (var i = 0; i < spec.Length; i++)
        {
            var c = spec[i];
            if (c != '%')
            {
                output.Append(c);
                continue;
            }
            if (++i >= spec.Length) return null;
            switch (spec[i])
            {
                case '%': output.Append('%'); continue;
                case '_': output.Append(' '); continue;
                case '-': output.Append("%20"); continue;
                case '{': break;
                default: return null;
            }
            var end = spec.IndexOf('}', i);
            if (end < 0 || end == i + 1) return null;
            var expanded = ExpandOne(spec.AsSpan(i + 1, end - i - 1), request, domain);
            if (expanded is null) return null;
            output.Append(expanded);
            i = end;
        }
        return output.ToString();
    }

    private static string? ExpandOne(ReadOnlySpan<char> macro, SpfRequest request, string domain)
    {
        var letter = macro[0];
        var value = char.ToLowerInvariant(letter) switch
        {
            's' => Sender(request.Sender),
            'l' => LocalPart(request.Sender),
            'o' => SenderDomain(request.Sender),
            'd' => domain,
            'i' => AddressLabels(request.Client),
            'h' => request.Helo,
            'v' => Normalize(request.Client).AddressFamily == AddressFamily.InterNetworkV6 ? "ip6" : "in-addr",
            // %{p} needs a validated reverse name; RFC 7208 §7.3 allows "unknown" and discourages its use.
            'p' => "unknown",
            _ => null,
        };
        if (value is null) return null;
        var rest = macro[1..];
        var digits = 0;
        while (digits < rest.Length && char.IsAsciiDigit(rest[digits])) digits++;
        int? keep = null;
        if (digits > 0)
        {
            if (!int.TryParse(rest[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n == 0) return null;
            keep = n;
        }
        rest = rest[digits..];
        var reverse = rest.Length > 0 && (rest[0] is 'r' or 'R');
        if (reverse) rest = rest[1..];
        foreach (var d in rest)
        {
            if (".-+,/_=".IndexOf(d) < 0) return null;
        }
        var delimiters = rest.Length == 0 ? ['.'] : rest.ToArray();
        var parts = value.Split(delimiters);
        if (reverse) Array.Reverse(parts);
        if (keep is { } k && k < parts.Length) parts = parts[^k..];
        var joined = string.Join('.', parts);
        return char.IsUpper(letter) ? Uri.EscapeDataString(joined) : joined;
    }

    /// <summary>The sender with "postmaster" as local-part when it has none (RFC 7208 §4.3).</summary>
    public static string Sender(string sender) => sender.Contains('@') && sender.IndexOf('@') > 0 ? sender : "postmaster@" + sender.TrimStart('@');

    private static string LocalPart(string sender) => Sender(sender)[..Sender(sender).LastIndexOf('@')];

    private static string SenderDomain(string sender) => Sender(sender)[(Sender(sender).LastIndexOf('@') + 1)..];

    /// <summary>IPv4-mapped IPv6 addresses are checked as IPv4 (RFC 7208 §5 treats the connection's family).</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static string AddressLabels(IPAddress address)
    {
        address = Normalize(address);
        if (address.AddressFamily == AddressFamily.InterNetwork) return address.ToString();
        // RFC 7208 §7.3: IPv6 as dot-separated nibbles.
        var bytes = address.GetAddressBytes();
        var nibbles = new List<char>(32);
        foreach (var b in bytes)
        {
            nibbles.Add("0123456789abcdef"[b >> 4]);
            nibbles.Add("0123456789abcdef"[b & 15]);
        }
        return string.Join('.', nibbles);
    }
}
