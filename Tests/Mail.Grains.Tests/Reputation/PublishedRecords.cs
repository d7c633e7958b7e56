using Mail.Grains.Interfaces.Outbound;

namespace Mail.Grains.Tests.Reputation;

/// <summary>Publishes sending-domain records on the cluster's test DNS server until disposed (then the names are NXDOMAIN again).</summary>
public sealed class PublishedRecords : IDisposable
{
    private readonly TestDnsServer _dns;
    private readonly string[] _names;

    private PublishedRecords(TestDnsServer dns, IReadOnlyList<DnsRecordInfo> records)
    {
        _dns = dns;
        _names = records.Select(r => r.Name).Distinct().ToArray();
        foreach (var record in records)
        {
            if (record.Type == "MX")
            {
                var parts = record.Value.Split(' ', 2);
                dns.AddMx(record.Name, int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts[1]);
            }
            else
            {
                dns.AddTxt(record.Name, record.Value.Chunk(255).Select(c => new string(c)).ToArray());
            }
        }
    }

    /// <summary>Publishes <paramref name="records"/> (MX and TXT).</summary>
    public static PublishedRecords On(TestDnsServer dns, params IReadOnlyList<DnsRecordInfo> records) => new(dns, records);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var name in _names) _dns.Remove(name);
    }
}
