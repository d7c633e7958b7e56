using Mail.Grains.Interfaces.Outbound;

namespace Mail.Grains.Reputation;

/// <summary>The records a sending domain publishes, built from its keys and the MTA's host name.</summary>
public static class SendingDomainRecords
{
    /// <summary>MX preference of the single listed host.</summary>
    public const int MxPreference = 10;

    /// <summary>
    /// The records in the order an operator publishes them, each with its last check. Retired keys are
    /// listed until <paramref name="retiredListing"/> after their retirement.
    /// </summary>
    public static IReadOnlyList<DnsRecordInfo> List(string domain, string hostname, SendingDomainState state, DateTimeOffset now, TimeSpan retiredListing)
    {
        var mx = $"{MxPreference} {hostname}";
        var records = new List<DnsRecordInfo>
        {
            With(state, "MX", domain, mx, DnsRecordPurposes.Inbound),
            // The return path is bounces+token@domain: its MX is the domain's own, listed for what it is for.
            With(state, "MX", domain, mx, DnsRecordPurposes.ReturnPath),
            With(state, "TXT", domain, Spf(hostname), DnsRecordPurposes.Spf),
        };
        foreach (var key in state.Keys.Where(k => k.RetiredAt is null || k.RetiredAt + retiredListing > now)
                     .OrderBy(k => k.RetiredAt is null ? 0 : 1).ThenBy(k => k.Generation).ThenBy(k => k.Algorithm == DkimKeyFactory.Rsa ? 0 : 1))
        {
            records.Add(With(state, "TXT", DkimName(key.Selector, domain), Dkim(key),
                key.RetiredAt is null ? DnsRecordPurposes.Dkim : DnsRecordPurposes.DkimRetired));
        }
        records.Add(With(state, "TXT", DmarcName(domain), Dmarc(domain), DnsRecordPurposes.Dmarc));
        return records;
    }

    /// <summary>
    /// SPF (RFC 7208 §5.3): "a:host" authorises exactly the addresses the MTA sends from, which stay
    /// right if inbound MX moves elsewhere (an "mx" mechanism would not); "-all" because nothing else
    /// sends for the domain, and DMARC starts at p=none, so a mistake is reported rather than rejected.
    /// </summary>
    public static string Spf(string hostname) => $"v=spf1 a:{hostname} -all";

    /// <summary>The key record (RFC 6376 §3.6.1; RFC 8463 §4 for k=ed25519).</summary>
    public static string Dkim(DkimKeyState key) => $"v=DKIM1; k={key.Algorithm}; p={key.PublicKey}";

    /// <summary>The owner name of a key record (RFC 6376 §3.6.2.1).</summary>
    public static string DkimName(string selector, string domain) => $"{selector}._domainkey.{domain}";

    /// <summary>A monitoring-only starting policy (RFC 7489 §6.3): reports to the domain itself, so no §7.1 authorisation is needed.</summary>
    public static string Dmarc(string domain) => $"v=DMARC1; p=none; rua=mailto:dmarc-reports@{domain}";

    /// <summary>The owner name of the DMARC record (RFC 7489 §6.1).</summary>
    public static string DmarcName(string domain) => $"_dmarc.{domain}";

    /// <summary>The key of a record's check: one lookup answers every row with the same type and name.</summary>
    public static string CheckKey(string type, string name) => $"{type} {name}";

    private static DnsRecordInfo With(SendingDomainState state, string type, string name, string value, string purpose) =>
        state.Checks.TryGetValue(CheckKey(type, name), out var check) && check.Value == value
            ? new DnsRecordInfo(type, name, value, purpose, check.Status, check.CheckedAt)
            : new DnsRecordInfo(type, name, value, purpose, DnsRecordStatuses.Unverified, null);
}
