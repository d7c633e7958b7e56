using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mail.Frontends.Hosting;
using Mail.Silo;
using Mail.Storage;

namespace Mail.Integration.Tests.Security;

/// <summary>Every secret read from disk (admin token, token signing key, TLS key) is refused at start when others may read it or it is too short.</summary>
// Owner-only file modes are what these tests attack; Windows has ACLs instead.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecretFileTests : IAsyncLifetime
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly TempDirectory _dataDir = new();
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("secretfiles");
        TestKeys.EnsureMasterKey(_dataDir.Path);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _dataDir.Dispose();
    }

    [Theory]
    [InlineData("admin-token")]
    [InlineData("jwt-signing.key")]
    public async Task SecretFileReadableByOthersIsRefusedAtStart(string file)
    {
        var path = Path.Combine(_dataDir.Path, file);
        File.WriteAllText(path, new string('k', 43));
        File.SetUnixFileMode(path, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(StartAsync);

        Assert.Contains(path, error.Message);
        Assert.Contains("chmod 600", error.Message);
    }

    [Theory]
    [InlineData("admin-token", 32)]
    [InlineData("jwt-signing.key", 32)]
    public async Task ShortSecretFileIsRefusedAtStart(string file, int minimum)
    {
        var path = Path.Combine(_dataDir.Path, file);
        File.WriteAllText(path, "short");
        File.SetUnixFileMode(path, OwnerOnly);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(StartAsync);

        Assert.Contains(path, error.Message);
        Assert.Contains($"at least {minimum}", error.Message);
    }

    [Fact]
    public async Task GeneratedSecretsAreTheOwnersAlone()
    {
        await using (var app = await StartAsync())
        {
        }

        foreach (var file in new[] { "admin-token", "jwt-signing.key", "master.key" })
        {
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(_dataDir.Path, file)));
        }
    }

    [Fact]
    public void TlsKeyFileReadableByOthersOrMissingIsRefused()
    {
        var path = Path.Combine(_dataDir.Path, "server.pfx");
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12));

        File.SetUnixFileMode(path, OwnerOnly | UnixFileMode.OtherRead);
        var open = Assert.Throws<InvalidOperationException>(() => ServerCertificate.Load(path));
        File.SetUnixFileMode(path, OwnerOnly);
        var loaded = ServerCertificate.Load(path);
        var missing = Assert.Throws<InvalidOperationException>(() => ServerCertificate.Load(path + ".missing"));

        Assert.Contains("chmod 600", open.Message);
        Assert.True(loaded.Certificate!.HasPrivateKey);
        Assert.Contains("does not exist", missing.Message);
    }

    [Fact]
    public void SecretIsCheckedOnTheFileItReads()
    {
        var path = Path.Combine(_dataDir.Path, "secret");
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(40));
        File.SetUnixFileMode(path, OwnerOnly);

        Assert.Equal(40, SecretFile.ReadChecked(path, 32, "the test secret").Length);
        Assert.Contains("The test secret", Assert.Throws<InvalidOperationException>(() => SecretFile.ReadChecked(path, 41, "the test secret")).Message);
    }

    private Task<Microsoft.AspNetCore.Builder.WebApplication> StartAsync() => MailHost.CreateAsync([], new Dictionary<string, string?>
    {
        ["Mail:DataDir"] = _dataDir.Path,
        ["Mail:Database"] = _database.ConnectionString,
        ["Mail:Cluster:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:Cluster:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
    });
}
