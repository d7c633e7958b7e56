using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Tests.Accounts;

namespace Mail.Grains.Tests.Mailboxes;

/// <summary>A fresh account on a fresh tenant, and its mailbox grain.</summary>
public sealed record TestMailbox(TestTenant Tenant, AccountInfo Account, IMailboxGrain Grain)
{
    /// <summary>The mailbox key.</summary>
    public string AccountId => Account.AccountId;

    /// <summary>Creates a tenant, a domain and one account on it.</summary>
    public static async Task<TestMailbox> CreateAsync(IGrainFactory grains, long? quotaBytes = null)
    {
        var tenant = await TestTenant.CreateAsync(grains);
        return await CreateAsync(grains, tenant, "user", quotaBytes);
    }

    /// <summary>Creates one more account on an existing tenant.</summary>
    public static async Task<TestMailbox> CreateAsync(IGrainFactory grains, TestTenant tenant, string localPart, long? quotaBytes = null)
    {
        var account = await tenant.CreateAccountAsync(localPart, quotaBytes);
        return new TestMailbox(tenant, account, grains.GetGrain<IMailboxGrain>(account.AccountId));
    }

    /// <summary>A folder by name, as the grain reports it.</summary>
    public async Task<FolderInfo> FolderAsync(string name) => Assert.Single(await Grain.ListFoldersAsync(), f => f.Name == name);

    /// <summary>A message the grain must have.</summary>
    public async Task<MessageRecord> MessageAsync(long messageId) =>
        await Grain.GetMessageAsync(messageId) ?? throw new Xunit.Sdk.XunitException($"message {messageId} is missing");

    /// <summary>Asserts that a call is refused with a code.</summary>
    public static async Task<MailException> RefusedAsync(MailErrorCode code, Func<Task> call)
    {
        var refusal = await Assert.ThrowsAsync<MailException>(call);
        Assert.Equal(code, refusal.Code);
        return refusal;
    }
}
