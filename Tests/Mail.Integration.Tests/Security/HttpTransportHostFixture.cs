using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Mail.Grains.Interfaces.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Mail.Integration.Tests.Security;

/// <summary>
/// A host serving HTTPS with infra/devcert.sh's certificate beside loopback HTTP, trusting 127.0.0.2 (and only it) as a
/// proxy, with a per-client limit small enough to reach. Tests connect from addresses of their own in 127.0.0.0/8, so
/// each has its own client budget.
/// </summary>
public sealed class HttpTransportHostFixture : MailHostFixture
{
    /// <summary>The address of the one trusted proxy.</summary>
    public const string TrustedProxy = "127.0.0.2";

    /// <summary>Requests one client address may make per minute.</summary>
    public const int PerClientPerMinute = 30;

    private readonly int _httpsPort = FreePort.Next();

    /// <summary>The certificate the host presents, as an operator would have made it.</summary>
    public DevCertificate Certificate { get; } = new();

    /// <summary>Base address of the HTTPS endpoint.</summary>
    public Uri HttpsAddress => new($"https://127.0.0.1:{_httpsPort}/");

    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Tls:CertificatePath"] = Certificate.PfxPath,
        ["Mail:Http:HttpsUrl"] = HttpsAddress.ToString().TrimEnd('/'),
        ["Mail:Http:KnownProxies:0"] = TrustedProxy,
        ["Mail:Http:RateLimit:PerIpPerMinute"] = PerClientPerMinute.ToString(),
    };

    /// <summary>A plain HTTP client connecting from <paramref name="source"/>.</summary>
    public HttpClient From(string source) => SourceBoundHttpClient.Create(BaseAddress, source);

    /// <summary>An HTTPS client from <paramref name="source"/> that trusts the dev certificate only and checks the name.</summary>
    public HttpClient HttpsFrom(string source, Action<X509Certificate2?>? presented = null) =>
        SourceBoundHttpClient.Create(HttpsAddress, source, (certificate, errors) =>
        {
            presented?.Invoke(certificate);
            return Certificate.Validates(certificate, errors & ~SslPolicyErrors.RemoteCertificateChainErrors);
        });

    /// <summary>Failed logins as <paramref name="user"/> the login throttle has counted against <paramref name="client"/>.</summary>
    public async Task<int> FailuresAsync(string client, string user) =>
        (await Services.GetRequiredService<IGrainFactory>().GetGrain<IAuthThrottleGrain>(client).CheckAsync(user)).RecentFailures;

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Certificate.Dispose();
    }
}
