using Mail.Grains.Interfaces.Outbound;
using Mail.Grains.Outbound.Dns;

namespace Mail.Grains.Reputation;

/// <summary>Looks one listed record up and says whether DNS holds it (a <see cref="DnsRecordStatuses"/> value).</summary>
public static class DnsRecordCheck
{
    /// <summary>Checks <paramref name="record"/> of a domain whose mail goes out through <paramref name="hostname"/>.</summary>
    public static async Task<string> CheckAsync(IMailDns dns, DnsRecordInfo record, string hostname, CancellationToken ct)
    {
        if (record.Type == "MX") return Mx(await dns.LookupMxAsync(record.Name, ct), record.Name, hostname);
        var txt = await dns.LookupTxtAsync(record.Name, ct);
        if (txt.Status == DnsStatus.TempFail) return DnsRecordStatuses.LookupFailed;
        if (txt.Status != DnsStatus.Ok) return DnsRecordStatuses.Missing;
        return record.Purpose switch
        {
            DnsRecordPurposes.Spf => Spf(txt.Records, hostname),
            DnsRecordPurposes.Dmarc => Dmarc(txt.Records),
            _ => Dkim(txt.Records, record.Value),
        };
    }

    private static string Mx(MxLookup mx, string domain, string hostname)
    {
        if (mx.Status == DnsStatus.TempFail) return DnsRecordStatuses.LookupFailed;
        if (mx.Status is DnsStatus.NxDomain or DnsStatus.NoData) return DnsRecordStatuses.Missing;
        if (mx.NullMx) return DnsRecordStatuses.Mismatch;
        if (mx.Hosts.Any(h => SameHost(h.Name, hostname))) return DnsRecordStatuses.Verified;
        // Without an MX the lookup answers the domain itself (implicit MX, RFC 5321 §5.1): nothing was published.
        return mx.Hosts.All(h => SameHost(h.Name, domain)) ? DnsRecordStatuses.Missing : DnsRecordStatuses.Mismatch;
    }

    /// <summary>
    /// RFC 7208 §4.5: only "v=spf1" records count, and two of them are a permerror. The record verifies
    /// when it names this MTA ("a:host", "mx" or "include:host"); anything else is a mismatch, because
    /// whether an include reaches us is only known by evaluating it.
    /// </summary>
    private static string Spf(IReadOnlyList<string> records, string hostname)
    {
        var spf = records.Where(r => r.Trim().StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase)
                                     && (r.Trim().Length == 6 || r.Trim()[6] == ' ')).ToArray();
        if (spf.Length == 0) return DnsRecordStatuses.Missing;
        if (spf.Length > 1) return DnsRecordStatuses.Mismatch;
        var terms = spf[0].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1)
            .Select(t => t.TrimStart('+').TrimEnd('.').ToLowerInvariant());
        return terms.Any(t => t == $"a:{hostname.ToLowerInvariant()}" || t == "mx" || t == $"include:{hostname.ToLowerInvariant()}")
            ? DnsRecordStatuses.Verified
            : DnsRecordStatuses.Mismatch;
    }

    /// <summary>RFC 7489 §6.6.3: exactly one record starting with "v=DMARC1"; more than one means no policy at all.</summary>
    private static string Dmarc(IReadOnlyList<string> records)
    {
        var count = records.Count(r => DkimTags.Parse(r).TryGetValue("v", out var v) && v == "DMARC1"
                                       && r.TrimStart().StartsWith("v", StringComparison.Ordinal));
        return count switch
        {
            0 => DnsRecordStatuses.Missing,
            1 => DnsRecordStatuses.Verified,
            _ => DnsRecordStatuses.Mismatch,
        };
    }

    /// <summary>The key record verifies when one TXT record at the selector carries the same k= and p= (RFC 6376 §3.6.1).</summary>
    private static string Dkim(IReadOnlyList<string> records, string expected)
    {
        var want = DkimTags.Parse(expected);
        foreach (var record in records)
        {
            var tags = DkimTags.Parse(record);
            var k = tags.GetValueOrDefault("k") ?? DkimKeyFactory.Rsa;
            if (tags.GetValueOrDefault("p") == want["p"] && k == want["k"]) return DnsRecordStatuses.Verified;
        }
        return DnsRecordStatuses.Mismatch;
    }

    private static bool SameHost(string a, string b) => string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
}
