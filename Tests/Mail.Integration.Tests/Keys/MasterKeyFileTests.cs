using Mail.Silo;
using Mail.Storage.Keys;

namespace Mail.Integration.Tests.Keys;

/// <summary>The master key file is refused unless it is the owner's alone, well-formed and long enough, and the one the tenant keys were wrapped under.</summary>
// Owner-only file modes are what these tests attack; Windows has ACLs instead.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MasterKeyFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string KeyFile => Path.Combine(_directory.Path, "master.key");

    [Theory]
    [InlineData(UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.GroupWrite)]
    [InlineData(UnixFileMode.OtherExecute)]
    public async Task KeyFileOpenToGroupOrOthersIsRefused(UnixFileMode extra)
    {
        File.WriteAllText(KeyFile, MasterKeyFile.NewLine(1));
        File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new FileMasterKeyProvider(KeyFile).GetCurrentAsync(CancellationToken.None));

        Assert.Contains(KeyFile, error.Message);
        Assert.Contains("chmod 600", error.Message);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(31)]
    public async Task ShortKeyIsRefused(int bytes)
    {
        WriteOwnerOnly($"1:{Convert.ToBase64String(new byte[bytes])}\n");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new FileMasterKeyProvider(KeyFile).GetCurrentAsync(CancellationToken.None));

        Assert.Contains($"is {bytes} bytes; at least 32", error.Message);
    }

    [Theory]
    [InlineData("", "holds no key")]
    [InlineData("# only a comment\n", "holds no key")]
    [InlineData("c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\n", "Line 1")]
    [InlineData("0:c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\n", "Line 1")]
    [InlineData("1:not base64!\n", "not base64")]
    [InlineData("1:c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\n1:c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\n", "twice")]
    public async Task MalformedKeyFileIsRefused(string content, string reason)
    {
        WriteOwnerOnly(content);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new FileMasterKeyProvider(KeyFile).GetCurrentAsync(CancellationToken.None));

        Assert.Contains(reason, error.Message);
        Assert.DoesNotContain("c2VjcmV0", error.Message);
    }

    [Fact]
    public async Task MissingKeyFileIsRefusedWithHowToMakeOne()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new FileMasterKeyProvider(KeyFile).GetCurrentAsync(CancellationToken.None));

        Assert.Contains("does not exist", error.Message);
        Assert.Contains("openssl rand -base64 32", error.Message);
        Assert.Contains("MAIL_MASTER_KEY_FILE", error.Message);
    }

    [Fact]
    public async Task NewestVersionIsCurrentAndAddingOneKeepsTheOthersAndTheMode()
    {
        WriteOwnerOnly("# master key\n" + MasterKeyFile.NewLine(1) + MasterKeyFile.NewLine(3));
        var provider = new FileMasterKeyProvider(KeyFile);
        var one = await provider.GetAsync("1", CancellationToken.None);

        Assert.Equal("3", (await provider.GetCurrentAsync(CancellationToken.None)).Id);
        var added = await provider.AddVersionAsync(CancellationToken.None);

        Assert.Equal("4", added.Id);
        Assert.Equal("4", (await new FileMasterKeyProvider(KeyFile).GetCurrentAsync(CancellationToken.None)).Id);
        Assert.Equal(one.Secret, (await new FileMasterKeyProvider(KeyFile).GetAsync("1", CancellationToken.None)).Secret);
        Assert.StartsWith("# master key\n", File.ReadAllText(KeyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        Assert.Single(Directory.GetFiles(_directory.Path));
        await Assert.ThrowsAsync<MasterKeyNotFoundException>(() => provider.GetAsync("2", CancellationToken.None));
    }

    [Fact]
    public async Task HostRefusesToStartWithAWorldReadableMasterKey()
    {
        await using var database = await TestDatabase.CreateAsync("masterkeyhost");
        File.WriteAllText(KeyFile, MasterKeyFile.NewLine(1));
        File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => MailHost.CreateAsync([], new Dictionary<string, string?>
        {
            ["Mail:DataDir"] = _directory.Path,
            ["Mail:Database"] = database.ConnectionString,
        }));

        Assert.Contains("mode 0644", error.Message);
    }

    [Fact]
    public async Task ReplacedKeyFileIsRefusedAtStartRatherThanFailingEveryRead()
    {
        await using var bed = await KeyTestBed.CreateAsync("replacedmaster");
        await (await bed.OpenAsync()).GetCurrentAsync("tenant-a", CancellationToken.None);
        File.Delete(bed.MasterKeyFile);

        // A fresh version 1: what a lost key file replaced by infra/run.sh (or by hand) would be.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(bed.OpenAsync);

        Assert.Contains("master key version 1", error.Message);
        Assert.Contains("does not unwrap", error.Message);
    }

    [Fact]
    public async Task KeyFileWithoutAVersionInUseIsRefusedAtStart()
    {
        await using var bed = await KeyTestBed.CreateAsync("missingversion");
        await (await bed.OpenAsync()).GetCurrentAsync("tenant-a", CancellationToken.None);
        // A new version put in place of the old one, without a re-wrap.
        File.WriteAllText(bed.MasterKeyFile, MasterKeyFile.NewLine(2));

        var error = await Assert.ThrowsAsync<MasterKeyNotFoundException>(bed.OpenAsync);

        Assert.Equal("1", error.Id);
        Assert.Contains(bed.MasterKeyFile, error.Message);
    }

    public void Dispose() => _directory.Dispose();

    private void WriteOwnerOnly(string content)
    {
        File.WriteAllText(KeyFile, content);
        File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
