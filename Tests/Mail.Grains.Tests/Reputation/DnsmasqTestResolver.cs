using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Mail.Grains.Outbound.Dns;

namespace Mail.Grains.Tests.Reputation;

/// <summary>
/// Test-only <see cref="IMailDns"/>: TXT and MX lookups through DnsClient against the <see cref="DnsmasqServer"/>
/// a test started last. The silo's own resolver replaces it outside tests.
/// </summary>
public sealed class DnsmasqTestResolver : IMailDns
{
    /// <summary>The instance the test cluster's silo resolves with.</summary>
    public static readonly DnsmasqTestResolver Shared = new();

    private LookupClient? _client;

    /// <summary>Sends the next lookups to 127.0.0.1:<paramref name="port"/>.</summary>
    public void Use(int port) =>
        _client = new LookupClient(new LookupClientOptions(new IPEndPoint(IPAddress.Loopback, port))
        {
            UseCache = false,
            Retries = 0,
            Timeout = TimeSpan.FromSeconds(1),
            ThrowDnsErrors = false,
        });

    /// <inheritdoc />
    public async Task<DnsAnswer<string>> LookupTxtAsync(string name, CancellationToken ct)
    {
        var (status, answers) = await QueryAsync(name, QueryType.TXT, ct);
        var records = answers.OfType<TxtRecord>().Select(t => string.Concat(t.Text)).ToArray();
        return new DnsAnswer<string>(status == DnsStatus.Ok && records.Length == 0 ? DnsStatus.NoData : status, records, false);
    }

    /// <inheritdoc />
    public async Task<MxLookup> LookupMxAsync(string domain, CancellationToken ct)
    {
        var (status, answers) = await QueryAsync(domain, QueryType.MX, ct);
        var hosts = answers.OfType<MxRecord>().OrderBy(m => m.Preference)
            .Select(m => new MxHost(m.Exchange.Value.TrimEnd('.'), m.Preference)).ToArray();
        if (status == DnsStatus.Ok && hosts.Length == 0) status = DnsStatus.NoData;
        return new MxLookup(status, false, hosts.Length > 0 ? hosts : [new MxHost(domain, 0)], false);
    }

    /// <inheritdoc />
    public Task<DnsAnswer<IPAddress>> LookupAddressesAsync(string host, CancellationToken ct) => throw new NotSupportedException();

    /// <inheritdoc />
    public Task<DnsAnswer<Mail.Grains.Outbound.Dns.TlsaRecord>> LookupTlsaAsync(string host, int port, CancellationToken ct) => throw new NotSupportedException();

    private async Task<(DnsStatus, IReadOnlyList<DnsResourceRecord>)> QueryAsync(string name, QueryType type, CancellationToken ct)
    {
        var client = _client ?? throw new InvalidOperationException("No test DNS server was started.");
        try
        {
            var response = await client.QueryAsync(name, type, cancellationToken: ct);
            if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain) return (DnsStatus.NxDomain, []);
            return response.HasError ? (DnsStatus.TempFail, []) : (DnsStatus.Ok, response.Answers);
        }
        catch (DnsResponseException)
        {
            return (DnsStatus.TempFail, []);
        }
    }
}
