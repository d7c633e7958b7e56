using Mail.Silo;

namespace Mail.Integration.Tests.Security;

/// <summary>An operator token anyone could guess is refused when the host starts, with a message that says what to do.</summary>
public sealed class AdminTokenStartupTests
{
    [Theory]
    [InlineData("")]
    [InlineData("admin")]
    [InlineData("0123456789012345678901234567890")]
    public async Task ShortOrEmptyAdminTokenIsRefusedAtStart(string token)
    {
        await using var database = await TestDatabase.CreateAsync("admintoken");
        using var dataDir = new TempDirectory();
        TestKeys.EnsureMasterKey(dataDir.Path);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => MailHost.CreateAsync([], new Dictionary<string, string?>
        {
            ["Mail:DataDir"] = dataDir.Path,
            ["Mail:Database"] = database.ConnectionString,
            ["Mail:Http:AdminToken"] = token,
        }));

        Assert.Contains("at least 32", refused.Message);
        Assert.Contains("MAIL_ADMIN_TOKEN", refused.Message);
    }

    [Fact]
    public async Task GeneratedAdminTokenIsLongEnough()
    {
        await using var database = await TestDatabase.CreateAsync("admintoken");
        using var dataDir = new TempDirectory();
        TestKeys.EnsureMasterKey(dataDir.Path);

        await using var app = await MailHost.CreateAsync([], new Dictionary<string, string?>
        {
            ["Mail:DataDir"] = dataDir.Path,
            ["Mail:Database"] = database.ConnectionString,
        });

        Assert.True(File.ReadAllText(Path.Combine(dataDir.Path, "admin-token")).Trim().Length >= 32);
    }
}
