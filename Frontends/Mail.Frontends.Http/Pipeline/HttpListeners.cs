using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Mail.Frontends.Http.Pipeline;

/// <summary>
/// The HTTP frontend's Kestrel endpoints: plain HTTP (loopback only, unless a TLS-terminating proxy is declared with
/// AllowPlaintextHttp) and HTTPS with the certificate the mail protocols present.
/// </summary>
public static class HttpListeners
{
    /// <summary>
    /// Checks the settings now (plain HTTP on a network address is refused with a message that says what to set) and
    /// answers what adds the endpoints to Kestrel.
    /// </summary>
    public static Action<KestrelServerOptions> Create(HttpFrontendOptions options, X509Certificate2 certificate)
    {
        var listens = new List<Action<KestrelServerOptions>>();
        if (!string.IsNullOrWhiteSpace(options.Url))
        {
            var (address, port) = Endpoint(options.Url, "Mail:Http:Url", Uri.UriSchemeHttp);
            if (!IPAddress.IsLoopback(address) && !options.AllowPlaintextHttp)
            {
                throw new InvalidOperationException(
                    $"Mail:Http:Url (MAIL_HTTP_URL) is {options.Url}: plain HTTP on an address other than loopback would carry passwords " +
                    "and tokens in clear. Serve HTTPS with Mail:Http:HttpsUrl (MAIL_HTTPS_URL) and keep Mail:Http:Url on 127.0.0.1, " +
                    "or set Mail:Http:AllowPlaintextHttp=true when a TLS-terminating proxy is the only one that can reach it.");
            }
            listens.Add(kestrel => kestrel.Listen(address, port));
        }
        if (!string.IsNullOrWhiteSpace(options.HttpsUrl))
        {
            var (address, port) = Endpoint(options.HttpsUrl, "Mail:Http:HttpsUrl", Uri.UriSchemeHttps);
            listens.Add(kestrel => kestrel.Listen(address, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            }));
        }
        return kestrel => listens.ForEach(listen => listen(kestrel));
    }

    private static (IPAddress Address, int Port) Endpoint(string url, string setting, string scheme)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != scheme)
        {
            throw new InvalidOperationException($"{setting} is '{url}'; it must be a {scheme} URL such as {scheme}://127.0.0.1:8443.");
        }
        if (uri.Host == "localhost") return (IPAddress.Loopback, uri.Port);
        if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
        {
            throw new InvalidOperationException($"{setting} is '{url}'; its host must be an IP address (or localhost), the address to listen on.");
        }
        return (address, uri.Port);
    }
}
