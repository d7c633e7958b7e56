using MailKit.Net.Pop3;
using MailKit.Security;

namespace Mail.Frontends.Tests.Pop3;

/// <summary>A standard client (MailKit's Pop3Client) against the frontend: STLS, SASL and USER/PASS login, listing, download, delete.</summary>
[Collection(Pop3HostCollection.Name)]
public sealed class Pop3MailKitTests(Pop3HostFixture host)
{
    [Fact]
    public async Task MailKitWithStlsCountsDownloadsDeletesAndSeesTheDeleteAfterReconnecting()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 3);
        IList<string> uids;

        using (var client = NewClient())
        {
            await client.ConnectAsync("127.0.0.1", host.Pop3Port, SecureSocketOptions.StartTls);
            Assert.True(client.IsSecure);
            Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.UIDL));
            Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.Top));
            Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.Pipelining));
            Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.User));
            Assert.Contains("PLAIN", client.AuthenticationMechanisms);
            Assert.Equal("Mail", client.Implementation);

            await client.AuthenticateAsync(user, "test-password");
            Assert.Equal(3, client.Count);
            uids = await client.GetMessageUidsAsync();
            Assert.Equal(3, uids.Distinct().Count());
            var sizes = await client.GetMessageSizesAsync();
            var messages = await client.GetMessagesAsync(0, 3);
            Assert.Equal(["message 1", "message 2", "message 3"], messages.Select(m => m.Subject));
            Assert.Equal("body of message 2", messages[1].TextBody?.TrimEnd());

            await using (var raw = await client.GetStreamAsync(1))
            {
                using var copy = new MemoryStream();
                await raw.CopyToAsync(copy);
                Assert.Equal(sizes[1], copy.Length);
            }
            var headers = await client.GetMessageHeadersAsync(2);
            Assert.Equal("message 3", headers["Subject"]);

            await client.DeleteMessageAsync(0);
            await client.DisconnectAsync(quit: true);
        }

        using (var client = NewClient())
        {
            await client.ConnectAsync("127.0.0.1", host.Pop3TlsPort, SecureSocketOptions.SslOnConnect);
            client.AuthenticationMechanisms.Clear();
            await client.AuthenticateAsync(user, "test-password");
            Assert.Equal(2, client.Count);
            Assert.Equal(uids.Skip(1), await client.GetMessageUidsAsync());
            Assert.Equal("message 2", (await client.GetMessageAsync(0)).Subject);
            await client.DisconnectAsync(quit: true);
        }
    }

    [Fact]
    public async Task MailKitDownloadIsByteIdenticalToTheStoredMessage()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 1);
        var slot = Assert.Single((await Pop3Mailboxes.InboxAsync(host, user)).Messages);
        var stored = await Pop3Mailboxes.RawAsync(host, user, slot.MessageId);

        using var client = NewClient();
        await client.ConnectAsync("127.0.0.1", host.Pop3TlsPort, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(user, "test-password");
        await using var raw = await client.GetStreamAsync(0);
        using var copy = new MemoryStream();
        await raw.CopyToAsync(copy);
        Assert.Equal(stored, copy.ToArray());
        await client.DisconnectAsync(quit: true);
    }

    [Fact]
    public async Task MailKitWithWrongPasswordGetsAnAuthenticationError()
    {
        var user = await Pop3Mailboxes.CreateUserWithMessagesAsync(host, 0);
        using var client = NewClient();
        await client.ConnectAsync("127.0.0.1", host.Pop3TlsPort, SecureSocketOptions.SslOnConnect);
        await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(user, "wrong"));
        await client.AuthenticateAsync(user, "test-password");
        Assert.Equal(0, client.Count);
    }

    private static Pop3Client NewClient() => new() { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 30_000 };
}
