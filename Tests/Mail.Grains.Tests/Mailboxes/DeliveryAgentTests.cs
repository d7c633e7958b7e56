using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Delivery;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Tests.Accounts;
using Mail.Grains.Tests.Infrastructure;
using MimeKit;

namespace Mail.Grains.Tests.Mailboxes;

/// <summary>The delivery agent: local, cross-tenant, remote and unknown recipients, single-instance storage, idempotent resubmission.</summary>
[Collection(MailClusterCollection.Name)]
public sealed class DeliveryAgentTests(MailClusterFixture fixture)
{
    private readonly TestMessages _messages = new(fixture);
    private readonly MailboxRows _rows = new(fixture);

    private IDeliveryAgentGrain Agent => fixture.Grains.GetGrain<IDeliveryAgentGrain>(0);

    [Fact]
    public async Task SubmissionDeliversLocallyAcrossTenantsQueuesRemoteAndRejectsUnknownUsers()
    {
        var home = await TestTenant.CreateAsync(fixture.Grains);
        var away = await TestTenant.CreateAsync(fixture.Grains);
        var sender = await home.CreateAccountAsync("sender");
        var colleague = await home.CreateAccountAsync("colleague");
        var partner = await away.CreateAccountAsync("partner");
        var remote = $"someone@r{Guid.NewGuid():N}.example";
        // The remote domain's DNS fails for now: the row waits (deferred) instead of bouncing into the sender's INBOX mid-test.
        fixture.Dns.SetServFail(AddressKey.DomainOf(remote));
        var unknown = home.Address("nobody");
        var message = TestMessages.Build("Quarterly numbers", from: sender.Address, to: colleague.Address);
        var blob = await _messages.StoreAsync(home.TenantId, message);
        var submission = new Submission($"sub-{Guid.NewGuid():N}", blob, sender.Address,
            [colleague.Address, partner.Address, remote, unknown], sender.AccountId, DateTimeOffset.UtcNow);

        var result = await Agent.SubmitAsync(submission);

        Assert.Equal(
            [
                (colleague.Address, RecipientStatus.Delivered),
                (partner.Address, RecipientStatus.Delivered),
                (remote, RecipientStatus.Queued),
                (unknown, RecipientStatus.Rejected),
            ],
            result.Recipients.Select(r => (r.Address, r.Status)));
        Assert.False(string.IsNullOrWhiteSpace(result.Recipients[3].Detail));

        var senderBox = fixture.Grains.GetGrain<IMailboxGrain>(sender.AccountId);
        Assert.NotNull(result.SentMessageId);
        var sent = await senderBox.GetMessageAsync(result.SentMessageId.Value);
        Assert.NotNull(sent);
        Assert.Equal(SpecialFolders.Sent, sent.Folder);
        Assert.Equal([MessageFlags.Seen], sent.Flags);
        Assert.Equal(blob, sent.Blob);
        var sentFolder = Assert.Single(await senderBox.ListFoldersAsync(), f => f.Name == SpecialFolders.Sent);
        Assert.Equal((1, 0), (sentFolder.MessageCount, sentFolder.UnseenCount));
        var senderRow = Assert.Single(await _rows.MessagesAsync(sender.AccountId));
        Assert.Equal((home.TenantId, blob.Name, new[] { MessageFlags.Seen }), (senderRow.BlobTenant, senderRow.BlobName, senderRow.Flags), TupleOfArrays);

        // Same tenant: the recipient's row points at the very blob of the Sent copy (single instance).
        var colleagueRow = Assert.Single(await _rows.MessagesAsync(colleague.AccountId));
        Assert.Equal((senderRow.BlobTenant, senderRow.BlobName), (colleagueRow.BlobTenant, colleagueRow.BlobName));
        Assert.Empty(colleagueRow.Flags);
        var colleagueInbox = Assert.Single(await fixture.Grains.GetGrain<IMailboxGrain>(colleague.AccountId).ListFoldersAsync(), f => f.Name == SpecialFolders.Inbox);
        Assert.Equal((1, 1), (colleagueInbox.MessageCount, colleagueInbox.UnseenCount));

        // Another tenant: its own copy, under its own key, with the same content.
        var partnerRow = Assert.Single(await _rows.MessagesAsync(partner.AccountId));
        Assert.Equal(away.TenantId, partnerRow.BlobTenant);
        Assert.NotEqual(blob.Name, partnerRow.BlobName);
        Assert.Equal(blob.Length, partnerRow.Size);
        Assert.Equal(await _messages.ReadAsync(blob), await _messages.ReadAsync(new StoredBlob(away.TenantId, partnerRow.BlobName, partnerRow.Size)));

        var queued = await QueueRowsAsync(submission.SubmissionId);
        Assert.Equal([(remote, sender.AccountId, sender.Address, home.TenantId, blob.Name, blob.Length, "queued")], queued);
        var listed = Assert.Single(await fixture.Grains.GetGrain<IOutboundQueueGrain>(0).ListForSenderAsync(sender.AccountId, 10));
        Assert.Equal((submission.SubmissionId, remote), (listed.SubmissionId, listed.Recipient));

        // A retried submission (same id) files nothing twice and queues nothing twice.
        var counts = await CountMessagesAsync(sender, colleague, partner);

        var again = await Agent.SubmitAsync(submission with { ReceivedAt = DateTimeOffset.UtcNow.AddMinutes(1) });

        Assert.Equal(result.SentMessageId, again.SentMessageId);
        Assert.Equal(result.Recipients.Select(r => (r.Address, r.Status)), again.Recipients.Select(r => (r.Address, r.Status)));
        Assert.Equal(counts, await CountMessagesAsync(sender, colleague, partner));
        Assert.Equal(queued, await QueueRowsAsync(submission.SubmissionId));
        Assert.Single(await _rows.ChangesAsync(colleague.AccountId));
    }

    [Fact]
    public async Task RecipientNamedTwiceOrByAliasAndPrimaryAddressGetsOneCopy()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var recipient = await tenant.CreateAccountAsync("bob");
        var alias = tenant.Address("robert");
        await fixture.Grains.GetGrain<IAccountGrain>(recipient.AccountId).AddAliasAsync(alias);
        var blob = await _messages.StoreAsync(tenant.TenantId, TestMessages.Build("Once only"));
        var upper = recipient.Address.ToUpperInvariant();

        var result = await Agent.SubmitAsync(new Submission($"sub-{Guid.NewGuid():N}", blob, "someone@elsewhere.example",
            [recipient.Address, upper, alias], null, DateTimeOffset.UtcNow));

        Assert.Null(result.SentMessageId);
        Assert.Equal(3, result.Recipients.Count);
        Assert.All(result.Recipients, r => Assert.Equal(RecipientStatus.Delivered, r.Status));
        Assert.Equal([recipient.Address, recipient.Address, alias], result.Recipients.Select(r => r.Address));
        var row = Assert.Single(await _rows.MessagesAsync(recipient.AccountId));
        Assert.Equal(blob.Name, row.BlobName);
        Assert.Equal(1, await _rows.CountAsync("mailbox_deliveries", recipient.AccountId));
        Assert.Equal(1, (await fixture.Grains.GetGrain<IMailboxGrain>(recipient.AccountId).GetQuotaAsync()).MessageCount);
    }

    [Fact]
    public async Task SenderWritingToThemselvesGetsASentCopyAndAnInboxCopyOfOneBlob()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var me = await tenant.CreateAccountAsync("me");
        var blob = await _messages.StoreAsync(tenant.TenantId, TestMessages.Build("Note to self", from: me.Address, to: me.Address));

        var result = await Agent.SubmitAsync(new Submission($"sub-{Guid.NewGuid():N}", blob, me.Address, [me.Address], me.AccountId, DateTimeOffset.UtcNow));

        Assert.Equal(RecipientStatus.Delivered, Assert.Single(result.Recipients).Status);
        var rows = await _rows.MessagesAsync(me.AccountId);
        Assert.Equal(2, rows.Count);
        Assert.Single(rows.Select(r => r.BlobName).Distinct());
        var box = fixture.Grains.GetGrain<IMailboxGrain>(me.AccountId);
        Assert.Equal(1, (await box.ListMessagesAsync(SpecialFolders.Sent, 0, 10)).Total);
        Assert.Equal(1, (await box.ListMessagesAsync(SpecialFolders.Inbox, 0, 10)).Total);
        Assert.Equal(2 * blob.Length, (await box.GetQuotaAsync()).UsedBytes);
    }

    [Fact]
    public async Task RecipientOverQuotaIsRejectedWhileOthersAreDelivered()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var roomy = await tenant.CreateAccountAsync("roomy");
        var full = await tenant.CreateAccountAsync("full", quotaBytes: 100);
        var blob = await _messages.StoreAsync(tenant.TenantId, TestMessages.Build("Too big for one", padding: 500));

        var result = await Agent.SubmitAsync(new Submission($"sub-{Guid.NewGuid():N}", blob, "someone@elsewhere.example",
            [roomy.Address, full.Address], null, DateTimeOffset.UtcNow));

        Assert.Equal([RecipientStatus.Delivered, RecipientStatus.Rejected], result.Recipients.Select(r => r.Status));
        Assert.Contains("quota", result.Recipients[1].Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Single(await _rows.MessagesAsync(roomy.AccountId));
        Assert.Empty(await _rows.MessagesAsync(full.AccountId));
    }

    [Fact]
    public async Task DeliveredRecordCarriesTheParsedSummary()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var bob = await tenant.CreateAccountAsync("bob");
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Alice Example", "alice@elsewhere.example"));
        message.To.Add(new MailboxAddress("Bob", bob.Address));
        message.To.Add(new MailboxAddress("Carol", "carol@elsewhere.example"));
        message.Cc.Add(new MailboxAddress("Dave", "dave@elsewhere.example"));
        message.Subject = "Numbers for Q3";
        message.Date = new DateTimeOffset(2026, 10, 1, 8, 15, 0, TimeSpan.Zero);
        message.MessageId = $"q3.{Guid.NewGuid():N}@elsewhere.example";
        var body = new BodyBuilder { TextBody = "  Hello   Bob,\r\n\r\n  the   numbers\tare in.\r\n  " };
        body.Attachments.Add("q3.csv", "quarter,revenue\nq3,42\n"u8.ToArray(), new ContentType("text", "csv"));
        message.Body = body.ToMessageBody();
        var blob = await _messages.StoreAsync(tenant.TenantId, message);

        await Agent.SubmitAsync(new Submission($"sub-{Guid.NewGuid():N}", blob, "alice@elsewhere.example", [bob.Address], null, DateTimeOffset.UtcNow));

        var box = fixture.Grains.GetGrain<IMailboxGrain>(bob.AccountId);
        var record = Assert.Single((await box.ListMessagesAsync(SpecialFolders.Inbox, 0, 10)).Items);
        var summary = record.Summary;
        Assert.Contains("alice@elsewhere.example", summary.From);
        Assert.Contains("Alice Example", summary.From);
        Assert.Equal(2, summary.To.Count);
        Assert.Contains(bob.Address, summary.To[0]);
        Assert.Contains("carol@elsewhere.example", summary.To[1]);
        Assert.Contains("dave@elsewhere.example", Assert.Single(summary.Cc));
        Assert.Equal("Numbers for Q3", summary.Subject);
        Assert.Equal(message.Date, summary.Date);
        Assert.Equal(message.MessageId, summary.MessageIdHeader);
        Assert.Equal("Hello Bob, the numbers are in.", summary.Preview);
        Assert.True(summary.HasAttachments);
        var row = Assert.Single(await _rows.MessagesAsync(bob.AccountId));
        Assert.Equal(("Hello Bob, the numbers are in.", true), (row.Preview, row.HasAttachments));
    }

    [Fact]
    public async Task LargeMessageIsSummarizedAndStoredWithItsFullSize()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var bob = await tenant.CreateAccountAsync("bob");
        var message = TestMessages.Build("Big scan", to: bob.Address);
        var body = new BodyBuilder { TextBody = "Scan attached." };
        body.Attachments.Add("scan.bin", new byte[3 * 1024 * 1024], new ContentType("application", "octet-stream"));
        message.Body = body.ToMessageBody();
        var blob = await _messages.StoreAsync(tenant.TenantId, message);

        var result = await Agent.SubmitAsync(new Submission($"sub-{Guid.NewGuid():N}", blob, "alice@elsewhere.example", [bob.Address], null, DateTimeOffset.UtcNow));

        Assert.Equal(RecipientStatus.Delivered, Assert.Single(result.Recipients).Status);
        var record = Assert.Single((await fixture.Grains.GetGrain<IMailboxGrain>(bob.AccountId).ListMessagesAsync(SpecialFolders.Inbox, 0, 10)).Items);
        Assert.True(blob.Length > 4 * 1024 * 1024, $"the test message should be large, was {blob.Length} bytes");
        Assert.Equal(blob.Length, record.Size);
        Assert.Equal(("Big scan", "Scan attached.", true), (record.Summary.Subject, record.Summary.Preview, record.Summary.HasAttachments));
        Assert.Equal(blob.Length, (await fixture.Grains.GetGrain<IMailboxGrain>(bob.AccountId).GetQuotaAsync()).UsedBytes);
    }

    [Fact]
    public async Task SummaryOfAPlainMessageHasNoAttachmentAndABoundedPreview()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var bob = await tenant.CreateAccountAsync("bob");
        var words = string.Join("\n\n", Enumerable.Range(0, 100).Select(i => $"word{i}"));
        var blob = await _messages.StoreAsync(tenant.TenantId, TestMessages.Build("Long", body: words));

        await Agent.SubmitAsync(new Submission($"sub-{Guid.NewGuid():N}", blob, "alice@elsewhere.example", [bob.Address], null, DateTimeOffset.UtcNow));

        var row = Assert.Single(await _rows.MessagesAsync(bob.AccountId));
        Assert.False(row.HasAttachments);
        Assert.InRange(row.Preview.Length, 190, 200);
        Assert.StartsWith("word0 word1 word2 ", row.Preview);
        Assert.DoesNotContain("\n", row.Preview);
    }

    [Fact]
    public async Task PreviewCutAtItsLimitDoesNotEndWithASpace()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var bob = await tenant.CreateAccountAsync("bob");
        // 199 letters, then a word break exactly where the 200-character limit falls.
        var blob = await _messages.StoreAsync(tenant.TenantId, TestMessages.Build("Cut", body: new string('a', 199) + "  tail"));

        await Agent.SubmitAsync(new Submission($"sub-{Guid.NewGuid():N}", blob, "alice@elsewhere.example", [bob.Address], null, DateTimeOffset.UtcNow));

        var row = Assert.Single(await _rows.MessagesAsync(bob.AccountId));
        Assert.Equal(new string('a', 199), row.Preview);
    }

    [Fact]
    public async Task HtmlOnlyMessageGetsAPreviewWithoutTags()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var bob = await tenant.CreateAccountAsync("bob");
        var message = TestMessages.Build("Newsletter");
        message.Body = new TextPart("html") { Text = "<html><head><style>p { color: red; }</style></head><body><p>Big&nbsp;<b>news</b> &amp; more</p></body></html>" };
        var blob = await _messages.StoreAsync(tenant.TenantId, message);

        await Agent.SubmitAsync(new Submission($"sub-{Guid.NewGuid():N}", blob, "alice@elsewhere.example", [bob.Address], null, DateTimeOffset.UtcNow));

        var row = Assert.Single(await _rows.MessagesAsync(bob.AccountId));
        Assert.Equal("Big news & more", row.Preview);
    }

    [Fact]
    public async Task MessageWhoseDateHeaderHasAnOffsetIsDelivered()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var bob = await tenant.CreateAccountAsync("bob");
        var message = TestMessages.Build("Sent from Berlin");
        message.Date = new DateTimeOffset(2026, 10, 1, 10, 15, 0, TimeSpan.FromHours(2));
        var blob = await _messages.StoreAsync(tenant.TenantId, message);

        var result = await Agent.SubmitAsync(new Submission($"sub-{Guid.NewGuid():N}", blob, "alice@elsewhere.example", [bob.Address], null, DateTimeOffset.UtcNow));

        Assert.Equal(RecipientStatus.Delivered, Assert.Single(result.Recipients).Status);
        var record = Assert.Single((await fixture.Grains.GetGrain<IMailboxGrain>(bob.AccountId).ListMessagesAsync(SpecialFolders.Inbox, 0, 10)).Items);
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 8, 15, 0, TimeSpan.Zero), record.Summary.Date);
    }

    private static readonly IEqualityComparer<(string, string, string[])> TupleOfArrays = new TupleOfArraysComparer();

    private async Task<long[]> CountMessagesAsync(params AccountInfo[] accounts)
    {
        var counts = new long[accounts.Length];
        for (var i = 0; i < accounts.Length; i++) counts[i] = await _rows.CountAsync("mailbox_messages", accounts[i].AccountId);
        return counts;
    }

    private async Task<List<(string Recipient, string? Sender, string From, string BlobTenant, string BlobName, long BlobLength, string Status)>> QueueRowsAsync(string submissionId)
    {
        await using var connection = await fixture.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            """
            SELECT recipient, sender_account_id, envelope_from, blob_tenant, blob_name, blob_length, status
            FROM outbound_queue WHERE submission_id = @s ORDER BY id
            """, connection);
        command.Parameters.AddWithValue("s", submissionId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string?, string, string, string, long, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetInt64(5), reader.GetString(6)));
        }
        return rows;
    }

    private sealed class TupleOfArraysComparer : IEqualityComparer<(string, string, string[])>
    {
        public bool Equals((string, string, string[]) x, (string, string, string[]) y) =>
            x.Item1 == y.Item1 && x.Item2 == y.Item2 && x.Item3.SequenceEqual(y.Item3);

        public int GetHashCode((string, string, string[]) obj) => HashCode.Combine(obj.Item1, obj.Item2);
    }
}
