using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// ACL (RFC 4314) and the "Other Users" namespace (RFC 2342) through MailKit's ImapClient: two accounts of one tenant share
/// a folder, an account of another tenant sees nothing of it and cannot be granted anything.
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapAclMailKitTests(ImapHostFixture host)
{
    /// <summary>A hosted domain of a tenant of its own.</summary>
    public const string OtherTenantDomain = "acl-other.test";

    private async Task<ImapClient> ConnectAsync(string address)
    {
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", host.ImapPort, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(address, ImapTestMail.Password);
        return client;
    }

    private static MimeMessage Message(string subject) => new()
    {
        From = { new MailboxAddress("Alice", "alice@example.test") },
        To = { new MailboxAddress("Team", "team@example.test") },
        Subject = subject,
        Body = new TextPart("plain") { Text = "Shared note." },
    };

    [Fact]
    public async Task OwnerSharesAFolderThatTheGranteeReadsThroughOtherUsersAndAnotherTenantNeverSees()
    {
        var (alice, aliceApi) = await ImapTestMail.NewUserAsync(host);
        var (bob, bobApi) = await ImapTestMail.NewUserAsync(host);
        await ApiUsers.EnsureDomainAsync(host, OtherTenantDomain, "acl-other-tenant");
        var (carol, carolApi) = await ApiUsers.CreateAsync(host, OtherTenantDomain);
        using var _ = aliceApi;
        using var __ = bobApi;
        using var ___ = carolApi;

        using var owner = await ConnectAsync(alice);
        Assert.True(owner.Capabilities.HasFlag(ImapCapabilities.Acl));
        Assert.Equal("texk", owner.Rights.ToString());
        var projects = (await owner.GetFolder(owner.PersonalNamespaces[0]).CreateAsync("Projects", true))!;
        await projects.AppendAsync(Message("plan"));
        await projects.AppendAsync(Message("budget"));
        await projects.SetAccessRightsAsync(bob, new AccessRights("lrs"));
        // An account of another tenant is not an identifier here.
        await Assert.ThrowsAsync<ImapCommandException>(() => projects.SetAccessRightsAsync(carol, new AccessRights("lr")));
        var acl = await projects.GetAccessControlListAsync();
        Assert.Contains(acl, entry => entry.Name == alice && entry.Rights.Contains(AccessRight.Administer));
        Assert.Contains(acl, entry => entry.Name == bob && entry.Rights.ToString() == "lrs");
        Assert.DoesNotContain(acl, entry => entry.Name == carol);
        Assert.Equal(new AccessRights("lrswipkxteacd").ToString(), (await projects.GetMyAccessRightsAsync()).ToString());
        Assert.Contains(AccessRight.LookupFolder, await projects.GetAccessRightsAsync(bob));

        using var grantee = await ConnectAsync(bob);
        Assert.Equal("Other Users", grantee.OtherNamespaces.Single().Path.TrimEnd('/'));
        var others = await grantee.GetFoldersAsync(grantee.OtherNamespaces[0]);
        var sharedName = $"Other Users/{alice}/Projects";
        Assert.Contains(others, f => f.FullName == sharedName);
        var shared = await grantee.GetFolderAsync(sharedName);
        Assert.Equal("lrs", (await shared.GetMyAccessRightsAsync()).ToString());
        await shared.OpenAsync(FolderAccess.ReadWrite);
        Assert.Equal(2, shared.Count);
        Assert.Equal(MessageFlags.Seen, shared.PermanentFlags);
        var summaries = await shared.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope);
        Assert.Equal(["plan", "budget"], summaries.Select(s => s.Envelope!.Subject));
        Assert.Equal("budget", (await shared.GetMessageAsync(summaries[1].UniqueId)).Subject);
        Assert.Equal(2, (await shared.SearchAsync(MailKit.Search.SearchQuery.All)).Count);
        // "s" lets the grantee mark messages read (the owner's \Seen: flags are per message); "w" (PERMANENTFLAGS above:
        // MailKit sends no flag that is not listed there) and "i" it does not have.
        await shared.AddFlagsAsync(summaries[0].UniqueId, MessageFlags.Seen, silent: true);
        await Assert.ThrowsAsync<ImapCommandException>(() => shared.AppendAsync(Message("from bob")));
        await Assert.ThrowsAsync<ImapCommandException>(() => shared.GetAccessControlListAsync());

        await projects.OpenAsync(FolderAccess.ReadOnly);
        var seen = await projects.FetchAsync(0, -1, MessageSummaryItems.Flags);
        Assert.True(seen[0].Flags!.Value.HasFlag(MessageFlags.Seen));

        // With "i" and "e" granted by the owner, the grantee files and removes messages in the owner's folder.
        await projects.AddAccessRightsAsync(bob, new AccessRights("itwe"));
        await shared.CloseAsync();
        await shared.OpenAsync(FolderAccess.ReadWrite);
        var appended = await shared.AppendAsync(Message("from bob"));
        Assert.NotNull(appended);
        await shared.AddFlagsAsync(appended!.Value, MessageFlags.Deleted, silent: true);
        await shared.ExpungeAsync();
        Assert.Equal(2, shared.Count);

        using var outsider = await ConnectAsync(carol);
        var visible = await outsider.GetFoldersAsync(outsider.OtherNamespaces[0]);
        Assert.Empty(visible);
        await Assert.ThrowsAsync<FolderNotFoundException>(() => outsider.GetFolderAsync(sharedName));

        // Taking the rights away hides the folder again.
        await projects.RemoveAccessAsync(bob);
        Assert.DoesNotContain(await grantee.GetFoldersAsync(grantee.OtherNamespaces[0]), f => f.FullName == sharedName);
    }
}
