using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Mail.Grains.Outbound.Dns;

/// <summary>
/// Fetches "https://mta-sts.&lt;domain&gt;/.well-known/mta-sts.txt" (RFC 8461 §3.3): the host is resolved through
/// <see cref="IMailDns"/> (the MTA's resolvers, not the system's), redirects are not followed, the body is capped,
/// and the certificate must be PKIX-valid for the policy host.
/// </summary>
internal sealed class MtaStsFetcher : IDisposable
{
    /// <summary>Bodies larger than this are refused (RFC 8461 §3.3 lets senders cap them; 64 KiB is the customary cap).</summary>
    public const int MaxPolicyBytes = 64 * 1024;

    private readonly IMailDns _dns;
    private readonly int _port;
    private readonly X509Certificate2Collection _extraRoots;
    private readonly HttpClient _http;

    public MtaStsFetcher(IMailDns dns, int port, X509Certificate2Collection extraRoots, TimeSpan timeout)
    {
        _dns = dns;
        _port = port;
        _extraRoots = extraRoots;
        var handler = new SocketsHttpHandler
        {
            // §3.3: "Senders MUST NOT follow redirects".
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = timeout,
            // Policy hosts are contacted once per max_age or id change: pooling buys nothing.
            PooledConnectionLifetime = TimeSpan.Zero,
            ConnectCallback = ConnectAsync,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = ValidateCertificate },
        };
        _http = new HttpClient(handler) { Timeout = timeout };
    }

    /// <summary>The domain's policy, stamped with the TXT <paramref name="id"/>; null with <paramref name="error"/> on any failure.</summary>
    public async Task<(MtaStsPolicy? Policy, string Error)> FetchAsync(string domain, string id, CancellationToken ct)
    {
        var uri = new UriBuilder(Uri.UriSchemeHttps, "mta-sts." + domain, _port, "/.well-known/mta-sts.txt").Uri;
        try
        {
            using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (null, $"{uri}: HTTP {(int)response.StatusCode}");
            }
            // §3.2: the policy is served as text/plain; anything else is most likely an error page.
            if (response.Content.Headers.ContentType is not MediaTypeHeaderValue { MediaType: "text/plain" })
            {
                return (null, $"{uri}: Content-Type {response.Content.Headers.ContentType}, not text/plain");
            }
            var body = await ReadCappedAsync(response.Content, ct);
            if (body is null)
            {
                return (null, $"{uri}: policy larger than {MaxPolicyBytes} bytes");
            }
            var policy = MtaStsPolicyParser.Parse(body, id, out var error);
            return policy is null ? (null, $"{uri}: {error}") : (policy, "");
        }
        catch (Exception e) when ((e is HttpRequestException or TaskCanceledException or IOException) && !ct.IsCancellationRequested)
        {
            return (null, $"{uri}: {e.GetBaseException().Message}");
        }
    }

    public void Dispose() => _http.Dispose();

    private static async Task<string?> ReadCappedAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        var buffer = new byte[MaxPolicyBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), ct)) > 0)
        {
            length += read;
        }
        return length > MaxPolicyBytes ? null : Encoding.UTF8.GetString(buffer, 0, length);
    }

    /// <summary>Connects to the policy host's addresses as the MTA's resolvers give them, in order.</summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = await _dns.LookupAddressesAsync(host, ct);
        if (addresses.Status != DnsStatus.Ok)
        {
            throw new HttpRequestException($"{host}: {addresses.Status} {addresses.Error}".TrimEnd());
        }
        SocketException? last = null;
        foreach (var address in addresses.Records)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(address, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }
        throw new HttpRequestException($"{host}: no address accepted the connection", last);
    }

    /// <summary>§3.3: the policy host's certificate must be PKIX-valid for its name, with the configured extra roots.</summary>
    private bool ValidateCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (sender is not SslStream { TargetHostName: { Length: > 0 } host } || certificate is null)
        {
            return false;
        }
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var presented = chain?.ChainPolicy.ExtraStore.Cast<X509Certificate2>().ToList() ?? [];
        return PkixValidation.Validate(leaf, presented, host, _extraRoots, out _);
    }
}
