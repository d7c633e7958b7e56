using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailKit;
using MailKit.Search;

namespace Mail.Integration.Tests.Filters;

/// <summary>Conversations: thread_id from references with the subject fallback, GET /v1/threads/{id}, and IMAP THREAD=REFERENCES agreeing.</summary>
public sealed class ThreadTests(MailHostFixture host) : IClassFixture<MailHostFixture>
{
    [Fact]
    public async Task RepliesByReferenceAndBySubjectJoinTheThreadAndStrangersDoNot()
    {
        var (to, user) = await ApiUsers.CreateAsync(host);
        const string carol = "carol@remote.example";
        var root = FilterMail.Message(carol, to, "Quarterly plan");
        await FilterMail.DeliverAsync(host, root);
        var reply = FilterMail.Message(carol, to, "Re: Quarterly plan");
        reply.InReplyTo = root.MessageId;
        await FilterMail.DeliverAsync(host, reply);
        // No references at all, same base subject, same correspondent: the subject fallback joins it.
        await FilterMail.DeliverAsync(host, FilterMail.Message(carol, to, "RE: quarterly plan"));
        // Same subject from someone who never took part: a conversation of its own.
        await FilterMail.DeliverAsync(host, FilterMail.Message("dave@elsewhere.example", to, "Quarterly plan"));

        var items = await FilterMail.ItemsAsync(user);
        string ThreadOf(string subject, string from) => items.Single(i => i.GetProperty("subject").GetString() == subject
            && i.GetProperty("from").GetString()!.Contains(from)).GetProperty("thread_id").GetString()!;
        var thread = ThreadOf("Quarterly plan", carol);
        Assert.Equal(thread, ThreadOf("Re: Quarterly plan", carol));
        Assert.Equal(thread, ThreadOf("RE: quarterly plan", carol));
        Assert.NotEqual(thread, ThreadOf("Quarterly plan", "dave@elsewhere.example"));

        var view = await user.GetFromJsonAsync<JsonElement>($"/v1/threads/{thread}");
        Assert.Equal(["Quarterly plan", "Re: Quarterly plan", "RE: quarterly plan"],
            view.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("subject").GetString()!).ToArray());
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync("/v1/threads/999999999")).StatusCode);
    }

    [Fact]
    public async Task ParentArrivingAfterItsRepliesAndRepliesToAMissingMessageShareOneThread()
    {
        var (to, user) = await ApiUsers.CreateAsync(host);
        var parentId = MimeKit.Utils.MimeUtils.GenerateMessageId("remote.example");
        var missingId = MimeKit.Utils.MimeUtils.GenerateMessageId("remote.example");
        var first = FilterMail.Message("erin@remote.example", to, "one");
        first.InReplyTo = parentId;
        await FilterMail.DeliverAsync(host, first);
        await FilterMail.DeliverAsync(host, FilterMail.Message("erin@remote.example", to, "two", messageId: parentId));
        var a = FilterMail.Message("frank@remote.example", to, "alpha");
        a.References.Add(missingId);
        var b = FilterMail.Message("gina@remote.example", to, "beta");
        b.References.Add(missingId);
        await FilterMail.DeliverAsync(host, a);
        await FilterMail.DeliverAsync(host, b);

        var items = await FilterMail.ItemsAsync(user);
        string ThreadOf(string subject) => items.Single(i => i.GetProperty("subject").GetString() == subject).GetProperty("thread_id").GetString()!;
        Assert.Equal(ThreadOf("one"), ThreadOf("two"));
        Assert.Equal(ThreadOf("alpha"), ThreadOf("beta"));
        Assert.NotEqual(ThreadOf("one"), ThreadOf("alpha"));
    }

    [Fact]
    public async Task ImapThreadReferencesGroupsTheCorpusAsThreadIdsDo()
    {
        var (to, user) = await ApiUsers.CreateAsync(host);
        var corpus = new List<MimeKit.MimeMessage>();
        var r1 = FilterMail.Message("hal@remote.example", to, "Budget");
        var r2 = FilterMail.Message("ivy@remote.example", to, "Re: Budget");
        r2.InReplyTo = r1.MessageId;
        r2.References.Add(r1.MessageId!);
        var r3 = FilterMail.Message("hal@remote.example", to, "Re: Budget");
        r3.References.Add(r1.MessageId!);
        r3.References.Add(r2.MessageId!);
        var s1 = FilterMail.Message("jon@remote.example", to, "Offsite");
        var s2 = FilterMail.Message("jon@remote.example", to, "Re: Offsite");
        var missing = MimeKit.Utils.MimeUtils.GenerateMessageId("remote.example");
        var m1 = FilterMail.Message("kim@remote.example", to, "Minutes");
        m1.References.Add(missing);
        var m2 = FilterMail.Message("lee@remote.example", to, "Re: Minutes");
        m2.References.Add(missing);
        var lone = FilterMail.Message("max@remote.example", to, "Lunch?");
        corpus.AddRange([r1, r2, r3, s1, s2, m1, m2, lone]);
        foreach (var message in corpus) await FilterMail.DeliverAsync(host, message);

        // The API's partition: Message-ID sets by thread_id.
        var apiGroups = new List<HashSet<string>>();
        foreach (var group in (await FilterMail.ItemsAsync(user)).GroupBy(i => i.GetProperty("thread_id").GetString()))
        {
            var ids = new HashSet<string>();
            foreach (var item in group)
            {
                var detail = await user.GetFromJsonAsync<JsonElement>($"/v1/emails/{item.GetProperty("id").GetString()}");
                ids.Add(detail.GetProperty("headers").EnumerateArray().First(h => h.GetProperty("name").GetString()!.Equals("Message-ID", StringComparison.OrdinalIgnoreCase))
                    .GetProperty("value").GetString()!.Trim('<', '>', ' '));
            }
            apiGroups.Add(ids);
        }

        // IMAP's partition: the members of each THREAD=REFERENCES tree.
        using var imap = await FilterMail.ImapAsync(host, to);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var threads = await imap.Inbox.ThreadAsync(ThreadingAlgorithm.References, SearchQuery.All);
        var envelopes = (await imap.Inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope))
            .ToDictionary(s => s.UniqueId, s => s.Envelope!.MessageId);
        static IEnumerable<UniqueId> Members(MessageThread t) =>
            (t.UniqueId is { } id ? [id] : Array.Empty<UniqueId>()).Concat(t.Children.SelectMany(Members));
        var imapGroups = threads.Select(t => Members(t).Select(u => envelopes[u]).ToHashSet()).ToList();

        Assert.Equal(4, apiGroups.Count);
        Assert.Equal(apiGroups.Count, imapGroups.Count);
        foreach (var group in apiGroups) Assert.Contains(imapGroups, g => g.SetEquals(group));
    }
}
