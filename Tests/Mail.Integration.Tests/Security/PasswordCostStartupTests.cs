using Mail.Silo;
using Microsoft.Extensions.Options;

namespace Mail.Integration.Tests.Security;

/// <summary>Argon2id costs libsodium cannot compute stop the host at start, instead of failing every login later.</summary>
public sealed class PasswordCostStartupTests
{
    [Theory]
    [InlineData("MAIL_ARGON2_MEMORY_KIB", "Mail:Passwords:MemoryKib", "4")]
    [InlineData("MAIL_ARGON2_MEMORY_KIB", "Mail:Passwords:MemoryKib", "2097152")]
    [InlineData("MAIL_ARGON2_ITERATIONS", "Mail:Passwords:Iterations", "0")]
    public async Task CostOutsideLibsodiumsBoundsIsRefusedAtStart(string variable, string setting, string value)
    {
        await using var database = await TestDatabase.CreateAsync("argoncost");
        using var dataDir = new TempDirectory();
        TestKeys.EnsureMasterKey(dataDir.Path);
        var settings = new Dictionary<string, string?>
        {
            ["Mail:DataDir"] = dataDir.Path,
            ["Mail:Database"] = database.ConnectionString,
            ["Mail:Http:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            // Should the check fail to refuse, the host must not take the default ports from anything else on the machine.
            ["Mail:Cluster:SiloPort"] = FreePort.Next().ToString(),
            ["Mail:Cluster:GatewayPort"] = FreePort.Next().ToString(),
            [setting] = value,
        };
        foreach (var port in new[] { "Smtp:MxPort", "Smtp:SubmissionPort", "Smtp:SubmissionTlsPort", "Imap:Port", "Imap:TlsPort", "Pop3:Port", "Pop3:TlsPort" })
        {
            settings["Mail:" + port] = "0";
        }

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = await MailHost.CreateAsync([], settings);
            await app.StartAsync();
        });

        Assert.Contains(setting, refused.Message);
        Assert.Contains(variable, refused.Message);
    }
}
