using System.Collections.Concurrent;
using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace Mail.Testing;

/// <summary>
/// An authoritative-style DNS server on 127.0.0.1 (UDP and TCP, one free port) whose records tests set while it runs.
/// A name with no records at all is NXDOMAIN; a name with records of other types answers NOERROR with no data.
/// Names marked secure get the AD bit, as a validating resolver would set it; names set to fail get SERVFAIL.
/// Point the MTA at it with <c>OutboundOptions.DnsServers = [server.Endpoint]</c>.
/// </summary>
public sealed class TestDnsServer : IDisposable
{
    private readonly DnsServer _server;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<DnsRecordBase>> _records = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _servFail = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _secure = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Name, RecordType Type), int> _queries = new();

    /// <summary>Starts the server on a free loopback port.</summary>
    public TestDnsServer()
    {
        Port = FreePort.Next();
        var endpoint = new IPEndPoint(IPAddress.Loopback, Port);
        _server = new DnsServer(new UdpServerTransport(endpoint), new TcpServerTransport(endpoint));
        _server.QueryReceived += OnQueryReceivedAsync;
        _server.Start();
    }

    /// <summary>The UDP and TCP port.</summary>
    public int Port { get; }

    /// <summary>"127.0.0.1:port", the form <c>OutboundOptions.DnsServers</c> takes.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>TTL of records added from now on; 0 (the default) lets no resolver cache them, so tests can change them.</summary>
    public int Ttl { get; set; }

    /// <summary>An MX record; <paramref name="host"/> "." makes it a null MX (RFC 7505).</summary>
    public TestDnsServer AddMx(string domain, int preference, string host) =>
        Add(domain, name => new MxRecord(name, Ttl, (ushort)preference, host == "." ? DomainName.Root : DomainName.Parse(host)));

    /// <summary>An A or AAAA record, by the address family.</summary>
    public TestDnsServer AddA(string host, string address)
    {
        var ip = IPAddress.Parse(address);
        return Add(host, name => ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? new AaaaRecord(name, Ttl, ip)
            : new ARecord(name, Ttl, ip));
    }

    /// <summary>A TXT record made of one or more strings (each at most 255 bytes on the wire).</summary>
    public TestDnsServer AddTxt(string name, params string[] strings) => Add(name, n => new TxtRecord(n, Ttl, strings));

    /// <summary>A TLSA record at _port._tcp.host (RFC 6698).</summary>
    public TestDnsServer AddTlsa(string host, int port, byte usage, byte selector, byte matchingType, byte[] data) =>
        Add($"_{port}._tcp.{host}", name => new TlsaRecord(name, Ttl, (TlsaRecord.TlsaCertificateUsage)usage,
            (TlsaRecord.TlsaSelector)selector, (TlsaRecord.TlsaMatchingType)matchingType, data));

    /// <summary>Removes every record of a name, so it becomes NXDOMAIN.</summary>
    public TestDnsServer Remove(string name)
    {
        _records.TryRemove(Key(name), out _);
        return this;
    }

    /// <summary>Answers SERVFAIL for every query of <paramref name="name"/> (or stops doing so).</summary>
    public TestDnsServer SetServFail(string name, bool fail = true)
    {
        Toggle(_servFail, name, fail);
        return this;
    }

    /// <summary>Sets the AD bit on every answer for <paramref name="name"/> (or stops doing so), as if DNSSEC validated it.</summary>
    public TestDnsServer MarkSecure(string name, bool secure = true)
    {
        Toggle(_secure, name, secure);
        return this;
    }

    /// <summary>Gives <paramref name="host"/> a DNSSEC-validated (AD) A record, 127.0.0.1 unless one is given, as DANE needs (RFC 7672 §2.2.2).</summary>
    public TestDnsServer SecureHost(string host, string address = "127.0.0.1") => AddA(host, address).MarkSecure(host);

    /// <summary>Marks the TLSA name of a host and port secure.</summary>
    public TestDnsServer MarkTlsaSecure(string host, int port, bool secure = true) => MarkSecure($"_{port}._tcp.{host}", secure);

    /// <summary>How many queries of <paramref name="type"/> ("MX", "A", "TXT", "TLSA"...) for <paramref name="name"/> arrived.</summary>
    public int Queries(string name, string type) =>
        _queries.GetValueOrDefault((Key(name), Enum.Parse<RecordType>(type, ignoreCase: true)));

    /// <inheritdoc />
    public void Dispose()
    {
        _server.Stop();
    }

    private TestDnsServer Add(string name, Func<DomainName, DnsRecordBase> record)
    {
        _records.GetOrAdd(Key(name), _ => new ConcurrentQueue<DnsRecordBase>()).Enqueue(record(DomainName.Parse(Key(name))));
        return this;
    }

    private static void Toggle(ConcurrentDictionary<string, bool> set, string name, bool on)
    {
        if (on)
        {
            set[Key(name)] = true;
        }
        else
        {
            set.TryRemove(Key(name), out _);
        }
    }

    private static string Key(string name) => name.TrimEnd('.').ToLowerInvariant();

    private Task OnQueryReceivedAsync(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is not DnsMessage { Questions.Count: 1 } query)
        {
            return Task.CompletedTask;
        }
        var question = query.Questions[0];
        var name = Key(question.Name.ToString());
        _queries.AddOrUpdate((name, question.RecordType), 1, (_, n) => n + 1);

        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = true;
        response.IsAuthenticData = _secure.ContainsKey(name);
        if (_servFail.ContainsKey(name))
        {
            response.ReturnCode = ReturnCode.ServerFailure;
            response.IsAuthenticData = false;
        }
        else if (!_records.TryGetValue(name, out var records) || records.IsEmpty)
        {
            response.ReturnCode = ReturnCode.NxDomain;
        }
        else
        {
            response.ReturnCode = ReturnCode.NoError;
            response.AnswerRecords.AddRange(records.Where(r => r.RecordType == question.RecordType));
        }
        e.Response = response;
        return Task.CompletedTask;
    }
}
