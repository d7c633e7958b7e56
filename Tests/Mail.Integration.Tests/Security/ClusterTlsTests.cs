using System.Security.Cryptography;
using Mail.Grains.Interfaces.Accounts;
using Mail.Silo;
using Mail.Silo.Cluster;
using Mail.Silo.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace Mail.Integration.Tests.Security;

/// <summary>
/// The cluster port under mutual TLS: a frontend (cluster client, composed as `--role frontend` composes it) with the
/// cluster's certificate reaches the grains; one with another certificate, or without TLS, is refused at the handshake
/// (one attempt each, so a refusal is seen at once rather than after the client's retries);
/// a second silo with the certificate joins and the two exchange messages.
/// </summary>
public sealed class ClusterTlsTests(ClusterTlsHostFixture host) : IClassFixture<ClusterTlsHostFixture>
{
    [Fact]
    public async Task ClientWithTheClusterCertificateCallsGrains()
    {
        using var client = await StartClientAsync(tls: true, host.Certificate.PfxPath);

        var domain = await client.Services.GetRequiredService<IClusterClient>().GetGrain<IDomainGrain>("example.test").GetAsync();

        Assert.NotNull(domain);
    }

    [Fact]
    public async Task ClientWithAnotherCertificateIsRefused()
    {
        // The stranger admits the cluster's certificate, so only the silo's check of the stranger's can end the handshake.
        var silosCertificate = Convert.ToHexString(host.Certificate.Certificate.GetCertHash(HashAlgorithmName.SHA256));

        await Assert.ThrowsAsync<ConnectionFailedException>(async () =>
        {
            using var client = await StartClientAsync(tls: true, host.Stranger.PfxPath, admit: silosCertificate);
            await client.Services.GetRequiredService<IClusterClient>().GetGrain<IDomainGrain>("example.test").GetAsync();
        });
    }

    [Fact]
    public async Task ClientWithoutTlsIsRefused()
    {
        await Assert.ThrowsAsync<ConnectionFailedException>(async () =>
        {
            using var client = await StartClientAsync(tls: false, certificatePath: null);
            await client.Services.GetRequiredService<IClusterClient>().GetGrain<IDomainGrain>("example.test").GetAsync();
        });
    }

    [Fact]
    public async Task SecondSiloWithTheCertificateJoinsAndExchangesMessages()
    {
        using var dataDir = new TempDirectory();
        await using var second = await MailHost.CreateAsync([], new Dictionary<string, string?>
        {
            ["Mail:DataDir"] = dataDir.Path,
            // One cluster, one database, one master key: the tenant keys in the database are wrapped under it.
            ["Mail:Keys:MasterKeyFile"] = Path.Combine(host.DataDir, "master.key"),
            ["Mail:Database"] = host.Database.ConnectionString,
            ["Mail:Cluster:ClusterId"] = host.ClusterId,
            ["Mail:Cluster:SiloPort"] = FreePort.Next().ToString(),
            ["Mail:Cluster:GatewayPort"] = FreePort.Next().ToString(),
            ["Mail:Cluster:Tls:Enabled"] = "true",
            ["Mail:Cluster:Membership:ProbeTimeout"] = "00:00:10",
            ["Mail:Cluster:Membership:NumMissedProbesLimit"] = "3",
            ["Mail:Tls:CertificatePath"] = host.Certificate.PfxPath,
            ["Mail:Http:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Mail:Smtp:MxPort"] = "0",
            ["Mail:Smtp:SubmissionPort"] = "0",
            ["Mail:Smtp:SubmissionTlsPort"] = "0",
            ["Mail:Imap:Port"] = "0",
            ["Mail:Imap:TlsPort"] = "0",
            ["Mail:Pop3:Port"] = "0",
            ["Mail:Pop3:TlsPort"] = "0",
            ["Mail:ManageSieve:Port"] = "0",
            ["Mail:Outbound:Enabled"] = "false",
        });
        await second.StartAsync();
        try
        {
            var management = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
            SiloAddress[] silos = [];
            for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline && silos.Length < 2; await Task.Delay(250))
            {
                silos = (await management.GetHosts(onlyActive: true)).Keys.ToArray();
            }
            Assert.Equal(2, silos.Length);
            // A message to each silo's runtime and back, over the TLS connections between them.
            var statistics = await management.GetRuntimeStatistics(silos);
            Assert.Equal(2, statistics.Length);
        }
        finally
        {
            await second.StopAsync();
        }
    }

    /// <summary>A cluster client composed as the frontend role composes it, started (which connects to a gateway).</summary>
    private async Task<IHost> StartClientAsync(bool tls, string? certificatePath, string? admit = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Mail:Database"] = host.Database.ConnectionString,
            ["Mail:Cluster:ClusterId"] = host.ClusterId,
            ["Mail:Cluster:Tls:Enabled"] = tls.ToString(),
            ["Mail:Cluster:Tls:CertificatePath"] = certificatePath,
        };
        if (admit is not null) settings["Mail:Cluster:Tls:AllowedThumbprints:0"] = admit;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = configuration.GetSection(MailHostOptions.Section).Get<MailHostOptions>()!;
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client => client.ConfigureMailClient(options, configuration)
            // One attempt: a refused handshake fails the start instead of being retried until the test's patience ends.
            .UseConnectionRetryFilter((_, _) => Task.FromResult(false)));
        var app = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await app.StartAsync(timeout.Token);
            return app;
        }
        catch
        {
            app.Dispose();
            throw;
        }
    }
}
