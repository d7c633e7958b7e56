using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Mail.Testing;

/// <summary>
/// An HTTPS server on 127.0.0.1 serving "/.well-known/mta-sts.txt" for any number of "mta-sts.&lt;domain&gt;" hosts
/// (RFC 8461 §3.3), each with a certificate from <see cref="TestCertificates"/> chosen by SNI. Point
/// <c>OutboundOptions.MtaStsPort</c> at <see cref="Port"/> and the test DNS's A record of mta-sts.&lt;domain&gt; at 127.0.0.1.
/// </summary>
public sealed class TestMtaStsServer : IAsyncDisposable
{
    private readonly TestCertificates _ca;
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (int Status, string ContentType, string Body)> _responses = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, X509Certificate2> _certificates = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _fetches = new(StringComparer.OrdinalIgnoreCase);

    private TestMtaStsServer(TestCertificates ca)
    {
        _ca = ca;
        Port = FreePort.Next();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port,
            listen => listen.UseHttps(https => https.ServerCertificateSelector = (_, host) => CertificateFor(host ?? "localhost"))));
        _app = builder.Build();
        _app.Run(ServeAsync);
    }

    /// <summary>The HTTPS port.</summary>
    public int Port { get; }

    /// <summary>Starts a server whose certificates <paramref name="ca"/> issues.</summary>
    public static async Task<TestMtaStsServer> StartAsync(TestCertificates ca)
    {
        var server = new TestMtaStsServer(ca);
        await server._app.StartAsync();
        return server;
    }

    /// <summary>Serves an STSv1 policy for <paramref name="domain"/> with LF line ends.</summary>
    public void SetPolicy(string domain, string mode, long maxAge, params string[] mx) =>
        SetPolicyText(domain, $"version: STSv1\nmode: {mode}\n{string.Concat(mx.Select(m => $"mx: {m}\n"))}max_age: {maxAge}\n");

    /// <summary>Serves <paramref name="text"/> as the policy of <paramref name="domain"/>, 200 text/plain.</summary>
    public void SetPolicyText(string domain, string text) => SetResponse(domain, 200, "text/plain; charset=utf-8", text);

    /// <summary>Serves any response for <paramref name="domain"/>'s policy URL (errors, wrong types, oversized bodies).</summary>
    public void SetResponse(string domain, int status, string contentType, string body) => _responses[domain] = (status, contentType, body);

    /// <summary>Presents <paramref name="certificate"/> for <paramref name="host"/> instead of one the CA issues for it.</summary>
    public void UseCertificate(string host, X509Certificate2 certificate) => _certificates[host] = certificate;

    /// <summary>Requests for <paramref name="domain"/>'s policy so far.</summary>
    public int Fetches(string domain) => _fetches.GetValueOrDefault(domain);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private X509Certificate2 CertificateFor(string host) => _certificates.GetOrAdd(host, h => _ca.Issue(h));

    private async Task ServeAsync(HttpContext context)
    {
        var host = context.Request.Host.Host;
        var domain = host.StartsWith("mta-sts.", StringComparison.OrdinalIgnoreCase) ? host["mta-sts.".Length..] : host;
        if (context.Request.Path != "/.well-known/mta-sts.txt" || !_responses.TryGetValue(domain, out var response))
        {
            context.Response.StatusCode = 404;
            return;
        }
        _fetches.AddOrUpdate(domain, 1, (_, n) => n + 1);
        context.Response.StatusCode = response.Status;
        context.Response.ContentType = response.ContentType;
        await context.Response.WriteAsync(response.Body);
    }
}
