using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Tests.Infrastructure;

namespace Mail.Grains.Tests.Mailboxes;

/// <summary>Folder hierarchy: create with parents, validation, rename and delete of sub-trees, the protected special folders.</summary>
[Collection(MailClusterCollection.Name)]
public sealed class MailboxFolderTests(MailClusterFixture fixture)
{
    private static readonly string[] SpecialNames = SpecialFolders.All.Select(f => f.Name).ToArray();

    private readonly TestMessages _messages = new(fixture);
    private readonly MailboxRows _rows = new(fixture);

    [Fact]
    public async Task CreateFolderCreatesMissingParentsEachWithItsOwnChange()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);

        var created = await box.Grain.CreateFolderAsync("Work/Projects/2026");

        Assert.Equal("Work/Projects/2026", created.Name);
        Assert.Null(created.SpecialUse);
        Assert.Equal((1L, 0, 0L), (created.UidNext, created.MessageCount, created.TotalSize));
        Assert.NotEqual(0, created.UidValidity);
        var folders = await box.Grain.ListFoldersAsync();
        Assert.Equal(SpecialNames.Concat(["Work", "Work/Projects", "Work/Projects/2026"]).Order(StringComparer.Ordinal),
            folders.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Equal(folders.Select(f => f.Name).Order(StringComparer.Ordinal), await _rows.FolderNamesAsync(box.AccountId));
        Assert.Equal(created, await _rows.FolderAsync(box.AccountId, "Work/Projects/2026"));

        var changes = await _rows.ChangesAsync(box.AccountId);
        Assert.Equal([1L, 2L, 3L], changes.Select(c => c.Modseq));
        Assert.All(changes, c => Assert.Equal(MailboxChangeKind.FolderCreated, c.Kind));
        Assert.Equal(
            new[] { "Work", "Work/Projects", "Work/Projects/2026" }.Select(n => folders.Single(f => f.Name == n).FolderId),
            changes.Select(c => c.FolderId));
        Assert.Equal(3, (await _rows.MailboxAsync(box.AccountId)).HighestModseq);

        var sibling = await box.Grain.CreateFolderAsync("Work/Clients");
        Assert.Equal(4, sibling.HighestModseq);
        Assert.Equal(4, (await _rows.ChangesAsync(box.AccountId)).Count);
    }

    [Theory]
    [InlineData("Work")]
    [InlineData(" Work ")]
    [InlineData("Sent")]
    [InlineData("inbox")]
    public async Task CreatingAnExistingFolderIsAlreadyExistsAndWritesNothing(string name)
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        await box.Grain.CreateFolderAsync("Work");
        var before = await _rows.CountAllAsync(box.AccountId);

        await TestMailbox.RefusedAsync(MailErrorCode.AlreadyExists, () => box.Grain.CreateFolderAsync(name));

        Assert.Equal(before, await _rows.CountAllAsync(box.AccountId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a//b")]
    [InlineData("/a")]
    [InlineData("a/")]
    [InlineData("x*")]
    [InlineData("50%")]
    [InlineData("tab\there")]
    [InlineData("a/ b")]
    public async Task InvalidFolderNameIsRefusedAndWritesNothing(string name)
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);

        await TestMailbox.RefusedAsync(MailErrorCode.Invalid, () => box.Grain.CreateFolderAsync(name));

        Assert.Equal(6, await _rows.CountAsync("mailbox_folders", box.AccountId));
        Assert.Empty(await _rows.ChangesAsync(box.AccountId));
    }

    [Fact]
    public async Task TooLongFolderNameIsRefused()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);

        await TestMailbox.RefusedAsync(MailErrorCode.Invalid, () => box.Grain.CreateFolderAsync(new string('f', 256)));

        Assert.Equal(6, await _rows.CountAsync("mailbox_folders", box.AccountId));
    }

    [Fact]
    public async Task RenameMovesSubFoldersAndKeepsTheirMessages()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        await box.Grain.CreateFolderAsync("Work/Projects/2026");
        var projects = await box.FolderAsync("Work/Projects");
        var deep = await box.FolderAsync("Work/Projects/2026");
        var delivered = await box.Grain.DeliverAsync(await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("plan"), "Work/Projects"));
        var modseqBefore = (await _rows.MailboxAsync(box.AccountId)).HighestModseq;

        var renamed = await box.Grain.RenameFolderAsync("Work", "Jobs");

        Assert.Equal("Jobs", renamed.Name);
        Assert.Equal(SpecialNames.Concat(["Jobs", "Jobs/Projects", "Jobs/Projects/2026"]).Order(StringComparer.Ordinal),
            await _rows.FolderNamesAsync(box.AccountId));
        var renamedProjects = await box.FolderAsync("Jobs/Projects");
        Assert.Equal(projects.FolderId, renamedProjects.FolderId);
        Assert.Equal(projects.UidValidity, renamedProjects.UidValidity);
        Assert.Equal((1, 2L), (renamedProjects.MessageCount, renamedProjects.UidNext));
        Assert.Equal(deep.FolderId, (await box.FolderAsync("Jobs/Projects/2026")).FolderId);
        var page = await box.Grain.ListMessagesAsync("Jobs/Projects", 0, 10);
        var message = Assert.Single(page.Items);
        Assert.Equal((delivered.MessageId, "Jobs/Projects", 1L), (message.MessageId, message.Folder, message.Uid));
        Assert.Equal("Jobs/Projects", (await box.MessageAsync(delivered.MessageId)).Folder);
        Assert.Equal(1, await _rows.CountAsync("mailbox_messages", box.AccountId));
        await TestMailbox.RefusedAsync(MailErrorCode.NotFound, () => box.Grain.ListMessagesAsync("Work/Projects", 0, 10));

        var renames = (await _rows.ChangesAsync(box.AccountId)).Where(c => c.Modseq > modseqBefore).ToList();
        Assert.Equal(3, renames.Count);
        Assert.All(renames, c => Assert.Equal(MailboxChangeKind.FolderRenamed, c.Kind));
        Assert.Equal(new[] { renamed.FolderId, projects.FolderId, deep.FolderId }.Order(), renames.Select(c => c.FolderId).Order());
    }

    [Fact]
    public async Task RenameCreatesMissingParentsOfTheTarget()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        await box.Grain.CreateFolderAsync("Receipts");

        var renamed = await box.Grain.RenameFolderAsync("Receipts", "Finance/2026/Receipts");

        Assert.Equal("Finance/2026/Receipts", renamed.Name);
        Assert.Equal(SpecialNames.Concat(["Finance", "Finance/2026", "Finance/2026/Receipts"]).Order(StringComparer.Ordinal),
            await _rows.FolderNamesAsync(box.AccountId));
    }

    [Fact]
    public async Task RenameOntoAnExistingFolderOrIntoItselfIsRefused()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        await box.Grain.CreateFolderAsync("A/B");
        await box.Grain.CreateFolderAsync("C");
        var before = await _rows.CountAllAsync(box.AccountId);

        await TestMailbox.RefusedAsync(MailErrorCode.AlreadyExists, () => box.Grain.RenameFolderAsync("A", "C"));
        await TestMailbox.RefusedAsync(MailErrorCode.AlreadyExists, () => box.Grain.RenameFolderAsync("C", "Trash"));
        await TestMailbox.RefusedAsync(MailErrorCode.Invalid, () => box.Grain.RenameFolderAsync("A", "A/B/C"));
        await TestMailbox.RefusedAsync(MailErrorCode.NotFound, () => box.Grain.RenameFolderAsync("Missing", "D"));

        Assert.Equal(before, await _rows.CountAllAsync(box.AccountId));
    }

    [Fact]
    public async Task DeleteRemovesSubFoldersAndTheirMessagesAndFreesQuota()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        await box.Grain.CreateFolderAsync("Old/Deeper");
        await box.Grain.CreateFolderAsync("Older");
        var kept = await box.Grain.DeliverAsync(await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("kept")));
        var keptSize = (await box.MessageAsync(kept.MessageId)).Size;
        var doomed = new List<long>();
        foreach (var folder in new[] { "Old", "Old/Deeper", "Old/Deeper" })
        {
            doomed.Add((await box.Grain.DeliverAsync(await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("doomed", padding: 700), folder))).MessageId);
        }
        var ids = new[] { (await box.FolderAsync("Old")).FolderId, (await box.FolderAsync("Old/Deeper")).FolderId };
        var modseqBefore = (await _rows.MailboxAsync(box.AccountId)).HighestModseq;

        await box.Grain.DeleteFolderAsync("Old");

        Assert.Equal(SpecialNames.Append("Older").Order(StringComparer.Ordinal), await _rows.FolderNamesAsync(box.AccountId));
        Assert.Equal(SpecialNames.Append("Older").Order(StringComparer.Ordinal), (await box.Grain.ListFoldersAsync()).Select(f => f.Name).Order(StringComparer.Ordinal));
        var remaining = Assert.Single(await _rows.MessagesAsync(box.AccountId));
        Assert.Equal(kept.MessageId, remaining.MessageId);
        foreach (var id in doomed) Assert.Null(await box.Grain.GetMessageAsync(id));
        Assert.Equal(new QuotaInfo(keptSize, (await box.Grain.GetQuotaAsync()).LimitBytes, 1), await box.Grain.GetQuotaAsync());
        var mailbox = await _rows.MailboxAsync(box.AccountId);
        Assert.Equal((keptSize, 1L, modseqBefore + 2), (mailbox.QuotaUsed, mailbox.MessageCount, mailbox.HighestModseq));
        var deletions = (await _rows.ChangesAsync(box.AccountId)).Where(c => c.Modseq > modseqBefore).ToList();
        Assert.All(deletions, c => Assert.Equal(MailboxChangeKind.FolderDeleted, c.Kind));
        Assert.Equal(ids.Order(), deletions.Select(c => c.FolderId).Order());
        Assert.Equal([modseqBefore + 1, modseqBefore + 2], deletions.Select(c => c.Modseq));
    }

    [Fact]
    public async Task DeleteAndRenameLeaveFoldersThatOnlyShareAPrefix()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        await box.Grain.CreateFolderAsync("Work/Old");
        await box.Grain.CreateFolderAsync("Workshop/Tools");

        await box.Grain.RenameFolderAsync("Work", "Job");
        await box.Grain.DeleteFolderAsync("Job");

        Assert.Equal(SpecialNames.Concat(["Workshop", "Workshop/Tools"]).Order(StringComparer.Ordinal), await _rows.FolderNamesAsync(box.AccountId));
    }

    [Fact]
    public async Task RecreatedFolderGetsANewUidValidity()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var first = await box.Grain.CreateFolderAsync("Again");
        await box.Grain.DeleteFolderAsync("Again");

        var second = await box.Grain.CreateFolderAsync("Again");

        Assert.NotEqual(first.FolderId, second.FolderId);
        Assert.NotEqual(first.UidValidity, second.UidValidity);
        Assert.Equal(1, second.UidNext);
    }

    [Theory]
    [InlineData("INBOX")]
    [InlineData("inbox")]
    [InlineData("Sent")]
    [InlineData("Drafts")]
    [InlineData("Trash")]
    [InlineData("Junk")]
    [InlineData("Archive")]
    public async Task SpecialFolderCannotBeDeletedOrRenamed(string name)
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        await box.Grain.DeliverAsync(await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("stays"), name));
        var before = await _rows.CountAllAsync(box.AccountId);

        await TestMailbox.RefusedAsync(MailErrorCode.Forbidden, () => box.Grain.DeleteFolderAsync(name));
        await TestMailbox.RefusedAsync(MailErrorCode.Forbidden, () => box.Grain.RenameFolderAsync(name, "Renamed"));

        Assert.Equal(before, await _rows.CountAllAsync(box.AccountId));
        Assert.Equal(SpecialNames.Order(StringComparer.Ordinal), await _rows.FolderNamesAsync(box.AccountId));
    }

    [Fact]
    public async Task InboxNameIsCaseInsensitive()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);

        var delivered = await box.Grain.DeliverAsync(await _messages.DeliveryAsync(box.Tenant.TenantId, TestMessages.Build("lower"), "inbox"));
        var child = await box.Grain.CreateFolderAsync("InBox/Receipts");

        Assert.Equal(SpecialFolders.Inbox, (await box.MessageAsync(delivered.MessageId)).Folder);
        Assert.Equal(delivered.MessageId, Assert.Single((await box.Grain.ListMessagesAsync("Inbox", 0, 10)).Items).MessageId);
        Assert.Equal("INBOX/Receipts", child.Name);
        Assert.NotNull(await _rows.FolderAsync(box.AccountId, "INBOX/Receipts"));
        Assert.Null(await _rows.FolderAsync(box.AccountId, "inbox"));
    }
}
