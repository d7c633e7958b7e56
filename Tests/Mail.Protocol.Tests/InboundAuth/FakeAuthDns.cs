using System.Net;
using Mail.Security.Dns;

namespace Mail.Protocol.Tests.InboundAuth;

/// <summary>An in-memory <see cref="IAuthDns"/>: names with no records are NXDOMAIN, names set to fail answer a temporary error; every query is counted.</summary>
public sealed class FakeAuthDns : IAuthDns
{
    private readonly Dictionary<string, List<string>> _txt = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<IPAddress>> _addresses = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<string>> _mx = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _failing = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Queries asked so far.</summary>
    public int Queries { get; private set; }

    /// <summary>Adds TXT records.</summary>
    public FakeAuthDns Txt(string name, params string[] records)
    {
        Get(_txt, name).AddRange(records);
        return this;
    }

    /// <summary>Adds A or AAAA records.</summary>
    public FakeAuthDns A(string name, params string[] addresses)
    {
        Get(_addresses, name).AddRange(addresses.Select(IPAddress.Parse));
        return this;
    }

    /// <summary>Adds MX exchanges, in preference order.</summary>
    public FakeAuthDns Mx(string name, params string[] hosts)
    {
        Get(_mx, name).AddRange(hosts);
        return this;
    }

    /// <summary>Makes every query of a name a temporary failure.</summary>
    public FakeAuthDns Fail(string name)
    {
        _failing.Add(name);
        return this;
    }

    /// <inheritdoc />
    public Task<AuthDnsAnswer<string>> TxtAsync(string name, CancellationToken ct) => Task.FromResult(Answer(name, _txt.GetValueOrDefault(name)));

    /// <inheritdoc />
    public Task<AuthDnsAnswer<IPAddress>> AddressesAsync(string name, bool ipv6, CancellationToken ct) =>
        Task.FromResult(Answer(name, _addresses.GetValueOrDefault(name)?.Where(a => a.AddressFamily == (ipv6 ? System.Net.Sockets.AddressFamily.InterNetworkV6 : System.Net.Sockets.AddressFamily.InterNetwork)).ToList()));

    /// <inheritdoc />
    public Task<AuthDnsAnswer<string>> MxAsync(string domain, CancellationToken ct) => Task.FromResult(Answer(domain, _mx.GetValueOrDefault(domain)));

    private AuthDnsAnswer<T> Answer<T>(string name, List<T>? records)
    {
        Queries++;
        if (_failing.Contains(name)) return AuthDnsAnswer<T>.TempFail;
        if (records is { Count: > 0 }) return new AuthDnsAnswer<T>(AuthDnsStatus.Ok, records);
        var exists = _txt.ContainsKey(name) || _addresses.ContainsKey(name) || _mx.ContainsKey(name);
        return new AuthDnsAnswer<T>(exists ? AuthDnsStatus.NoData : AuthDnsStatus.NxDomain, []);
    }

    private static List<T> Get<T>(Dictionary<string, List<T>> map, string name) =>
        map.TryGetValue(name, out var list) ? list : map[name] = [];
}
