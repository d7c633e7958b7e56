using System.Text;
using Mail.Security.Dkim;
using Mail.Security.Dmarc;
using Mail.Security.Results;
using Mail.Security.Spf;

namespace Mail.Security;

/// <summary>Everything the MX learned about who sent a message: SPF for MAIL FROM and HELO, each DKIM signature, ARC and DMARC.</summary>
public sealed record InboundAuthVerdict(SpfVerdict MailFrom, SpfVerdict Helo, IReadOnlyList<DkimSignatureResult> Dkim, string Arc, DmarcVerdict Dmarc)
{
    /// <summary>Whether any check could not finish for a transient DNS error.</summary>
    public bool Temporary => MailFrom.Result == SpfResult.TempError || Dkim.Any(d => d.Result == "temperror") || Dmarc.Result == "temperror";

    /// <summary>The Authentication-Results field (RFC 8601 §2.2) for <paramref name="authServId"/>, folded, ending in CRLF.</summary>
    public string ToField(string authServId)
    {
        var field = new StringBuilder("Authentication-Results: ").Append(authServId);
        Add(field, $"spf={Name(MailFrom.Result)} smtp.mailfrom={AuthResultsSyntax.SafeValue(MailFrom.Identity)}");
        Add(field, $"spf={Name(Helo.Result)} smtp.helo={AuthResultsSyntax.SafeValue(Helo.Identity)}");
        if (Dkim.Count == 0) Add(field, "dkim=none");
        foreach (var d in Dkim)
        {
            var properties = d.Domain is null ? "" : $" header.d={AuthResultsSyntax.SafeValue(d.Domain)}";
            if (d.Selector is not null) properties += $" header.s={AuthResultsSyntax.SafeValue(d.Selector)}";
            if (d.SignaturePrefix is not null) properties += $" header.b={AuthResultsSyntax.SafeValue(d.SignaturePrefix)}";
            Add(field, $"dkim={d.Result}{properties}");
        }
        var policy = Dmarc.Policy is { } p ? $" (p={p.ToString().ToUpperInvariant()} dis={(Dmarc.Failed ? Dmarc.Disposition : DmarcPolicy.None).ToString().ToUpperInvariant()})" : "";
        Add(field, Dmarc.FromDomain is { } from
            ? $"dmarc={Dmarc.Result}{policy} header.from={AuthResultsSyntax.SafeValue(from)}"
            : $"dmarc={Dmarc.Result}");
        Add(field, $"arc={Arc}");
        return field.Append("\r\n").ToString();
    }

    private static void Add(StringBuilder field, string resinfo) => field.Append(";\r\n\t").Append(resinfo);

    private static string Name(SpfResult result) => result.ToString().ToLowerInvariant();
}
