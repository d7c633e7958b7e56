using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace Mail.Grains.Outbound.Dns;

/// <summary><see cref="IMailDns"/> over DnsClient's <see cref="LookupClient"/>: configured resolvers, DO bit, TTL cache, failures as <see cref="DnsStatus"/>.</summary>
public sealed class MailDns : IMailDns
{
    private readonly LookupClient _client;
    private readonly TimeSpan _budget;

    /// <summary>Resolvers from <see cref="OutboundOptions.DnsServers"/> (the system's when empty); <see cref="OutboundOptions.DnsTimeoutSeconds"/> bounds each lookup.</summary>
    public MailDns(OutboundOptions options)
    {
        _budget = TimeSpan.FromSeconds(Math.Max(1, options.DnsTimeoutSeconds));
        var servers = options.DnsServers.Select(ParseServer).ToArray();
        var settings = servers.Length == 0 ? new LookupClientOptions() : new LookupClientOptions(servers);
        // One retry fits in the lookup's budget: each attempt gets half, so a lost UDP datagram
        // is retried but a dead resolver still ends the lookup on time.
        settings.Timeout = _budget / 2;
        settings.Retries = 1;
        settings.UseTcpFallback = true;
        // DO bit (RFC 3225): a validating resolver then sets AD on answers it validated, which DANE needs.
        settings.RequestDnsSecRecords = true;
        settings.UseCache = true;
        // Errors are answers here (NXDOMAIN is a fact the caller bounces on), not exceptions.
        settings.ThrowDnsErrors = false;
        settings.ContinueOnDnsError = true;
        settings.ContinueOnEmptyResponse = false;
        _client = new LookupClient(settings);
    }

    /// <inheritdoc />
    public Task<MxLookup> LookupMxAsync(string domain, CancellationToken ct) => MxResolution.ResolveAsync(this, domain, ct);

    /// <inheritdoc />
    public Task<DnsAnswer<string>> LookupTxtAsync(string name, CancellationToken ct) =>
        QueryAsync(name, QueryType.TXT, answers => answers.TxtRecords().Select(r => string.Concat(r.Text)), ct);

    /// <inheritdoc />
    public async Task<DnsAnswer<IPAddress>> LookupAddressesAsync(string host, CancellationToken ct)
    {
        var v4 = QueryAsync(host, QueryType.A, answers => answers.ARecords().Select(r => r.Address), ct);
        var v6 = QueryAsync(host, QueryType.AAAA, answers => answers.AaaaRecords().Select(r => r.Address), ct);
        var (a, aaaa) = (await v4, await v6);
        var records = a.Records.Concat(aaaa.Records).ToList();
        if (records.Count > 0)
        {
            // A host reachable on one family is usable even when the other family's lookup failed.
            return new DnsAnswer<IPAddress>(DnsStatus.Ok, records, Authenticated(a, aaaa));
        }
        if (a.Status == DnsStatus.TempFail || aaaa.Status == DnsStatus.TempFail)
        {
            return new DnsAnswer<IPAddress>(DnsStatus.TempFail, [], false, a.Error ?? aaaa.Error);
        }
        var status = a.Status == DnsStatus.NxDomain || aaaa.Status == DnsStatus.NxDomain ? DnsStatus.NxDomain : DnsStatus.NoData;
        return new DnsAnswer<IPAddress>(status, [], a.Authenticated && aaaa.Authenticated);
    }

    /// <inheritdoc />
    public Task<DnsAnswer<TlsaRecord>> LookupTlsaAsync(string host, int port, CancellationToken ct) =>
        QueryAsync($"_{port}._tcp.{host.TrimEnd('.')}", QueryType.TLSA,
            answers => answers.OfType<DnsClient.Protocol.TlsaRecord>().Select(r =>
                new TlsaRecord((byte)r.CertificateUsage, (byte)r.Selector, (byte)r.MatchingType, r.CertificateAssociationData.ToArray())),
            ct);

    /// <summary>The raw MX answer; <see cref="MxResolution"/> turns it into the route.</summary>
    internal Task<DnsAnswer<MxHost>> QueryMxAsync(string domain, CancellationToken ct) =>
        QueryAsync(domain, QueryType.MX,
            answers => answers.MxRecords().Select(r => new MxHost(HostName(r.Exchange.Value), r.Preference)), ct);

    private static bool Authenticated(DnsAnswer<IPAddress> a, DnsAnswer<IPAddress> aaaa) =>
        (a.Status != DnsStatus.Ok || a.Authenticated) && (aaaa.Status != DnsStatus.Ok || aaaa.Authenticated);

    private async Task<DnsAnswer<T>> QueryAsync<T>(string name, QueryType type, Func<IEnumerable<DnsResourceRecord>, IEnumerable<T>> select, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_budget);
        IDnsQueryResponse response;
        try
        {
            // Our own timer bounds the wait too: DnsClient's UDP receive was seen to outlive its timeout and the token.
            response = await _client.QueryAsync(name, type, QueryClass.IN, deadline.Token).WaitAsync(_budget, ct);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException && !ct.IsCancellationRequested)
        {
            return TempFail<T>($"{type} {name}: no answer within {_budget.TotalSeconds:0}s");
        }
        catch (DnsResponseException e)
        {
            return TempFail<T>($"{type} {name}: {e.Code}: {e.Message}");
        }
        catch (System.Net.Sockets.SocketException e)
        {
            return TempFail<T>($"{type} {name}: {e.SocketErrorCode}");
        }

        var authenticated = response.Header.IsAuthenticData;
        switch (response.Header.ResponseCode)
        {
            case DnsHeaderResponseCode.NoError:
                var records = select(response.Answers).ToList();
                return new DnsAnswer<T>(records.Count > 0 ? DnsStatus.Ok : DnsStatus.NoData, records, authenticated);
            case DnsHeaderResponseCode.NotExistentDomain:
                return new DnsAnswer<T>(DnsStatus.NxDomain, [], authenticated, $"{type} {name}: NXDOMAIN");
            default:
                // SERVFAIL (a validating resolver's answer to bogus data too), REFUSED and the rest: try later.
                return TempFail<T>($"{type} {name}: {response.Header.ResponseCode}");
        }
    }

    private static DnsAnswer<T> TempFail<T>(string error) => new(DnsStatus.TempFail, [], false, error);

    private static string HostName(string name) => name == "." ? "." : name.TrimEnd('.').ToLowerInvariant();

    private static IPEndPoint ParseServer(string server) =>
        IPEndPoint.TryParse(server, out var endpoint)
            ? endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, 53) : endpoint
            : throw new FormatException($"DNS server \"{server}\" is not ip[:port].");
}
