using System.Net.Http.Json;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Mail.Frontends.Tests.Smtp;

namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// AUTHENTICATE OAUTHBEARER (RFC 7628) and XOAUTH2 with the HTTP API's access token: MailKit's mechanisms log in; a wrong
/// token, another user's name and a token revoked by a password change fail with the RFC 7628 §3.2.2 error challenge.
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapBearerAuthTests(ImapHostFixture host)
{
    private async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", host.ImapPort, SecureSocketOptions.StartTls);
        return client;
    }

    [Fact]
    public async Task MailKitLogsInWithTheApiTokenOverBothMechanisms()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        var token = api.DefaultRequestHeaders.Authorization!.Parameter!;
        using (var client = await ConnectAsync())
        {
            Assert.Contains("OAUTHBEARER", client.AuthenticationMechanisms);
            await client.AuthenticateAsync(new SaslMechanismOAuthBearer(address, token));
            var inbox = client.Inbox;
            await inbox.OpenAsync(FolderAccess.ReadOnly);
            Assert.Equal(0, inbox.Count);
        }
        using (var client = await ConnectAsync())
        {
            Assert.Contains("XOAUTH2", client.AuthenticationMechanisms);
            await client.AuthenticateAsync(new SaslMechanismOAuth2(address, token));
            Assert.True(client.IsAuthenticated);
        }
        using (var client = await ConnectAsync())
        {
            await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(new SaslMechanismOAuthBearer(address, token + "x")));
        }
        var (other, otherApi) = await ImapTestMail.NewUserAsync(host);
        otherApi.Dispose();
        using (var client = await ConnectAsync())
        {
            // A valid token under another user's name is refused.
            await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(new SaslMechanismOAuthBearer(other, token)));
        }
        var change = await api.PutAsJsonAsync("/v1/account/password", new { current_password = ImapTestMail.Password, password = "another-password-42" });
        change.EnsureSuccessStatusCode();
        using (var client = await ConnectAsync())
        {
            await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(new SaslMechanismOAuthBearer(address, token)));
        }
    }

    [Fact]
    public async Task AFailedBearerExchangeSendsTheErrorChallengeThenNo()
    {
        await using var imap = await ImapTestMail.OpenTlsAsync(host);
        var response = Convert.ToBase64String(Encoding.UTF8.GetBytes("n,a=nobody@example.test,\u0001auth=Bearer not-a-token\u0001\u0001"));
        var challenge = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"status\":\"invalid_token\",\"scope\":\"mail\"}"));
        await imap.RunAsync($"""
            C: a1 AUTHENTICATE OAUTHBEARER {response}
            S: + {challenge}
            C: AQ==
            S: a1 NO [AUTHENTICATIONFAILED] Authentication failed
            C: a2 AUTHENTICATE OAUTHBEARER {Convert.ToBase64String(Encoding.UTF8.GetBytes("y,,\u0001auth=Bearer x\u0001\u0001"))}
            S: a2 BAD Malformed OAUTHBEARER response
            C: a3 AUTHENTICATE XOAUTH2 {Convert.ToBase64String(Encoding.UTF8.GetBytes("auth=Bearer x\u0001\u0001"))}
            S: a3 BAD Malformed XOAUTH2 response
            """);
    }
}
