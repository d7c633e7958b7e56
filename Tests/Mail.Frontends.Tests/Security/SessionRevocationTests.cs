using System.Net.Http.Json;
using MailKit;
using MailKit.Net.Pop3;
using MailKit.Security;

namespace Mail.Frontends.Tests.Security;

/// <summary>A suspension or a password change ends the account's open IMAP and POP3 sessions at their next command.</summary>
[Collection(CredentialHostCollection.Name)]
public sealed class SessionRevocationTests(CredentialHostFixture host)
{
    private const string Password = "test-password";

    [Fact]
    public async Task SuspensionEndsOpenImapAndPop3Sessions()
    {
        var (address, client) = await ApiUsers.CreateAsync(host);
        client.Dispose();
        using var imap = await MailLogins.ConnectImapAsync(host, MailLogins.Attacker);
        await imap.AuthenticateAsync(address, Password);
        using var pop3 = await OpenPop3Async(address);
        await imap.NoOpAsync();
        await pop3.NoOpAsync();

        using var admin = host.CreateAdminClient();
        (await admin.PatchAsJsonAsync($"/v1/admin/accounts/{address}", new { suspended = true })).EnsureSuccessStatusCode();

        await Assert.ThrowsAnyAsync<Exception>(() => imap.Inbox.OpenAsync(FolderAccess.ReadOnly));
        await Assert.ThrowsAnyAsync<Exception>(() => pop3.GetMessageCountAsync());
    }

    [Fact]
    public async Task PasswordChangeEndsOpenImapSessions()
    {
        var (address, user) = await ApiUsers.CreateAsync(host);
        using var _ = user;
        using var imap = await MailLogins.ConnectImapAsync(host, MailLogins.Attacker);
        await imap.AuthenticateAsync(address, Password);

        (await user.PutAsJsonAsync("/v1/account/password", new { current_password = Password, password = "a-new-password" })).EnsureSuccessStatusCode();

        await Assert.ThrowsAnyAsync<Exception>(() => imap.Inbox.OpenAsync(FolderAccess.ReadOnly));
    }

    private async Task<Pop3Client> OpenPop3Async(string address)
    {
        var pop3 = new Pop3Client { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await pop3.ConnectAsync("127.0.0.1", host.Pop3Port, SecureSocketOptions.StartTls);
        await pop3.AuthenticateAsync(new SaslMechanismPlain(address, Password));
        return pop3;
    }
}
