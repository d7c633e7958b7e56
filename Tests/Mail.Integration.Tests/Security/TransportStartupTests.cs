using System.Security.Cryptography.X509Certificates;
using Mail.Silo;

namespace Mail.Integration.Tests.Security;

/// <summary>Configurations that would expose the cluster or carry credentials in clear stop the host at start, with a message that says what to set.</summary>
public sealed class TransportStartupTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.0.2.10")]
    public async Task ClusterOnANetworkAddressWithoutTlsIsRefused(string address)
    {
        var refused = await RefusedAsync(new() { ["Mail:Cluster:AdvertisedAddress"] = address });

        Assert.Contains(address, refused.Message);
        Assert.Contains("Mail:Cluster:Tls:Enabled", refused.Message);
    }

    [Fact]
    public async Task ClusterTlsWithoutACertificateIsRefused()
    {
        var refused = await RefusedAsync(new() { ["Mail:Cluster:Tls:Enabled"] = "true" });

        Assert.Contains("no certificate", refused.Message);
    }

    [Fact]
    public async Task ClusterCertificateThatCannotAuthenticateAClientIsRefused()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "server-only.pfx");
        // Created owner-only, as a key file must be, so the refusal is about the missing clientAuth usage.
        using (var serverOnly = TestCertificate.Create("localhost")) Mail.Storage.SecretFile.ReadOrCreate(path, 0, "the test certificate", () => serverOnly.Export(X509ContentType.Pkcs12));

        var refused = await RefusedAsync(new() { ["Mail:Cluster:Tls:Enabled"] = "true", ["Mail:Cluster:Tls:CertificatePath"] = path });

        Assert.Contains("clientAuth", refused.Message);
    }

    [Fact]
    public async Task PlainHttpOnANetworkAddressIsRefused()
    {
        var refused = await RefusedAsync(new() { ["Mail:Http:Url"] = $"http://0.0.0.0:{FreePort.Next()}" });

        Assert.Contains("Mail:Http:HttpsUrl", refused.Message);
    }

    [Fact]
    public async Task MalformedKnownProxyIsRefused()
    {
        var refused = await RefusedAsync(new() { ["Mail:Http:KnownProxies:0"] = "proxy.example" });

        Assert.Contains("proxy.example", refused.Message);
    }

    private static async Task<InvalidOperationException> RefusedAsync(Dictionary<string, string?> settings)
    {
        await using var database = await TestDatabase.CreateAsync("transport");
        using var dataDir = new TempDirectory();
        settings["Mail:DataDir"] = dataDir.Path;
        // A master key as infra/run.sh makes one, so the only thing wrong is what the test sets.
        TestKeys.EnsureMasterKey(dataDir.Path);
        settings["Mail:Database"] = database.ConnectionString;
        settings["Mail:Http:Url"] = settings.GetValueOrDefault("Mail:Http:Url") ?? $"http://127.0.0.1:{FreePort.Next()}";
        // Should a check fail to refuse, the host must not take the default ports from anything else on the machine.
        settings["Mail:Cluster:SiloPort"] = FreePort.Next().ToString();
        settings["Mail:Cluster:GatewayPort"] = FreePort.Next().ToString();
        foreach (var port in new[] { "Smtp:MxPort", "Smtp:SubmissionPort", "Smtp:SubmissionTlsPort", "Imap:Port", "Imap:TlsPort", "Pop3:Port", "Pop3:TlsPort" })
        {
            settings["Mail:" + port] = "0";
        }
        return await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var app = await MailHost.CreateAsync([], settings);
            await app.StartAsync();
        });
    }
}
