using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace Mail.Security.Dns;

/// <summary>
/// <see cref="IAuthDns"/> over DnsClient, configured like the outbound resolver (same servers, TTL cache, one retry
/// within the budget). It is its own small class rather than the outbound <c>MailDns</c> because frontends may not
/// reference Mail.Grains, and sender authentication needs only these three record types.
/// </summary>
public sealed class AuthDns : IAuthDns
{
    private readonly LookupClient _client;
    private readonly TimeSpan _budget;

    /// <summary>A resolver over <paramref name="options"/>.</summary>
    public AuthDns(AuthDnsOptions options)
    {
        _budget = options.Timeout > TimeSpan.Zero ? options.Timeout : TimeSpan.FromSeconds(5);
        var servers = options.Servers.Select(ParseServer).ToArray();
        var settings = servers.Length == 0 ? new LookupClientOptions() : new LookupClientOptions(servers);
        settings.Timeout = _budget / 2;
        settings.Retries = 1;
        settings.UseTcpFallback = true;
        settings.UseCache = true;
        if (options.NegativeCache > TimeSpan.Zero)
        {
            settings.CacheFailedResults = true;
            settings.FailedResultsCacheDuration = options.NegativeCache;
        }
        settings.ThrowDnsErrors = false;
        settings.ContinueOnDnsError = true;
        settings.ContinueOnEmptyResponse = false;
        _client = new LookupClient(settings);
    }

    /// <inheritdoc />
    public Task<AuthDnsAnswer<string>> TxtAsync(string name, CancellationToken ct) =>
        QueryAsync(name, QueryType.TXT, answers => answers.TxtRecords().Select(r => string.Concat(r.Text)), ct);

    /// <inheritdoc />
    public Task<AuthDnsAnswer<IPAddress>> AddressesAsync(string name, bool ipv6, CancellationToken ct) => ipv6
        ? QueryAsync(name, QueryType.AAAA, answers => answers.AaaaRecords().Select(r => r.Address), ct)
        : QueryAsync(name, QueryType.A, answers => answers.ARecords().Select(r => r.Address), ct);

    /// <inheritdoc />
    public Task<AuthDnsAnswer<string>> MxAsync(string domain, CancellationToken ct) =>
        QueryAsync(domain, QueryType.MX, answers => answers.MxRecords().OrderBy(r => r.Preference)
            .Select(r => r.Exchange.Value.TrimEnd('.').ToLowerInvariant()), ct);

    private async Task<AuthDnsAnswer<T>> QueryAsync<T>(string name, QueryType type, Func<IEnumerable<DnsResourceRecord>, IEnumerable<T>> select, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_budget);
        IDnsQueryResponse response;
        try
        {
            // WaitAsync bounds the wait by our own timer as well: under load DnsClient's UDP receive was seen to outlive
            // both its own timeout and the cancelled token, leaving SMTP sessions waiting forever.
            response = await _client.QueryAsync(name, type, QueryClass.IN, deadline.Token).WaitAsync(_budget, ct);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or DnsResponseException or System.Net.Sockets.SocketException && !ct.IsCancellationRequested)
        {
            return AuthDnsAnswer<T>.TempFail;
        }
        return response.Header.ResponseCode switch
        {
            DnsHeaderResponseCode.NoError when select(response.Answers).ToList() is { Count: > 0 } records => new(AuthDnsStatus.Ok, records),
            DnsHeaderResponseCode.NoError => new(AuthDnsStatus.NoData, []),
            DnsHeaderResponseCode.NotExistentDomain => new(AuthDnsStatus.NxDomain, []),
            _ => AuthDnsAnswer<T>.TempFail,
        };
    }

    private static IPEndPoint ParseServer(string server) =>
        IPEndPoint.TryParse(server, out var endpoint)
            ? endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, 53) : endpoint
            : throw new FormatException($"DNS server \"{server}\" is not ip[:port].");
}
