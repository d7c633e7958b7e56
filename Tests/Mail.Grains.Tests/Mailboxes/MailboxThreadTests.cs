using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Tests.Infrastructure;

namespace Mail.Grains.Tests.Mailboxes;

/// <summary>Threading by Message-ID, In-Reply-To and References.</summary>
[Collection(MailClusterCollection.Name)]
public sealed class MailboxThreadTests(MailClusterFixture fixture)
{
    private readonly TestMessages _messages = new(fixture);
    private readonly MailboxRows _rows = new(fixture);

    [Fact]
    public async Task ReplyJoinsTheThreadOfTheMessageItAnswers()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var (originalId, replyId) = (Id("original"), Id("reply"));
        var original = await DeliverAsync(box, TestMessages.Build("Lunch?", messageId: originalId));

        var reply = await DeliverAsync(box, TestMessages.Build("Re: Lunch?", messageId: replyId, inReplyTo: originalId), SpecialFolders.Sent);
        var replyToReply = await DeliverAsync(box, TestMessages.Build("Re: Re: Lunch?", messageId: Id("reply2"), inReplyTo: replyId));

        Assert.Equal(original.MessageId, original.ThreadId);
        Assert.Equal(original.ThreadId, reply.ThreadId);
        Assert.Equal(original.ThreadId, replyToReply.ThreadId);
        Assert.Equal([originalId], reply.Summary.References);
        Assert.Equal(original.ThreadId, (await _rows.MessageAsync(box.AccountId, reply.MessageId))!.ThreadId);
        Assert.Equal(3, await _rows.CountAsync("mailbox_threads", box.AccountId));
    }

    [Fact]
    public async Task ReferencesHeaderAloneIsEnoughToJoinAThread()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var reportId = Id("report");
        var original = await DeliverAsync(box, TestMessages.Build("Report", messageId: reportId));
        var message = TestMessages.Build("Fwd: Report", messageId: Id("forward"));
        message.References.Add(Id("unknown-elsewhere"));
        message.References.Add(reportId);

        var forward = await DeliverAsync(box, message);

        Assert.Equal(original.ThreadId, forward.ThreadId);
    }

    [Fact]
    public async Task UnrelatedMessageStartsItsOwnThread()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var first = await DeliverAsync(box, TestMessages.Build("One", messageId: Id("one")));

        var unrelated = await DeliverAsync(box, TestMessages.Build("Two", messageId: Id("two"), inReplyTo: Id("never-seen")));
        var withoutId = await DeliverAsync(box, TestMessages.Build("Three"));

        Assert.Equal(unrelated.MessageId, unrelated.ThreadId);
        Assert.Equal(withoutId.MessageId, withoutId.ThreadId);
        Assert.Equal(3, new[] { first.ThreadId, unrelated.ThreadId, withoutId.ThreadId }.Distinct().Count());
    }

    [Fact]
    public async Task ThreadsDoNotCrossMailboxes()
    {
        var box = await TestMailbox.CreateAsync(fixture.Grains);
        var other = await TestMailbox.CreateAsync(fixture.Grains, box.Tenant, "other");
        var privateId = Id("private");
        var original = await DeliverAsync(other, TestMessages.Build("Private", messageId: privateId));
        await DeliverAsync(box, TestMessages.Build("Filler"));

        var reply = await DeliverAsync(box, TestMessages.Build("Re: Private", inReplyTo: privateId));

        Assert.Equal(reply.MessageId, reply.ThreadId);
        Assert.NotEqual(original.ThreadId, reply.ThreadId);
    }

    /// <summary>A fresh Message-ID (without angle brackets, as MimeKit reports it); each call gives a new one.</summary>
    private static string Id(string name) => $"{name}.{Guid.NewGuid():N}@test.example";

    private async Task<MessageRecord> DeliverAsync(TestMailbox box, MimeKit.MimeMessage message, string folder = SpecialFolders.Inbox)
    {
        var result = await box.Grain.DeliverAsync(await _messages.DeliveryAsync(box.Tenant.TenantId, message, folder));
        return await box.MessageAsync(result.MessageId);
    }
}
