using System.Text;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Mailboxes;
using Microsoft.Extensions.DependencyInjection;

namespace Mail.Frontends.Tests.Pop3;

/// <summary>Fills a fresh user's INBOX through the MX listener and reads back what the mailbox holds, for POP3 tests to compare against.</summary>
public static class Pop3Mailboxes
{
    /// <summary>A fresh user (password "test-password") with <paramref name="count"/> messages delivered, subjects "message 1".."message n".</summary>
    public static async Task<string> CreateUserWithMessagesAsync(MailHostFixture host, int count)
    {
        var (address, client) = await ApiUsers.CreateAsync(host);
        client.Dispose();
        for (var i = 1; i <= count; i++) await DeliverAsync(host, address, Message(address, $"message {i}", $"body of message {i}\r\n"));
        return address;
    }

    /// <summary>A small message with CRLF line ends.</summary>
    public static string Message(string to, string subject, string body) =>
        $"From: <sender@remote.example>\r\nTo: <{to}>\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@remote.example>\r\n\r\n{body}";

    /// <summary>Delivers a message (CRLF line ends, ending in CRLF) to the MX listener; dot-stuffs it for DATA.</summary>
    public static async Task DeliverAsync(MailHostFixture host, string to, string message)
    {
        var stuffed = message.StartsWith('.') ? "." + message.Replace("\r\n.", "\r\n..") : message.Replace("\r\n.", "\r\n..");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var refused = await new RawSmtpClient("127.0.0.1", host.SmtpPort).SendAsync("sender@remote.example", to, Encoding.UTF8.GetBytes(stuffed), timeout.Token);
        Assert.Null(refused);
    }

    /// <summary>The user's INBOX as the mailbox grain has it: counters and slots by ascending UID.</summary>
    public static async Task<InboxContents> InboxAsync(MailHostFixture host, string address)
    {
        var mailbox = await MailboxAsync(host, address);
        var view = await mailbox.OpenFolderAsync(SpecialFolders.Inbox);
        var uids = Enumerable.Range(0, view.Map.Count).Select(i => view.Map.UidAt(i)).ToArray();
        return new InboxContents(view.Folder, uids.Length == 0 ? [] : await mailbox.GetSlotsAsync(view.Folder.FolderId, uids));
    }

    /// <summary>A folder's counters and its message slots by ascending UID.</summary>
    public sealed record InboxContents(FolderInfo Folder, IReadOnlyList<MessageSlot> Messages);

    /// <summary>The mailbox grain of a user.</summary>
    public static async Task<IMailboxGrain> MailboxAsync(MailHostFixture host, string address)
    {
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var route = await grains.GetGrain<IAddressGrain>(address).ResolveAsync() ?? throw new InvalidOperationException($"{address} does not exist");
        return grains.GetGrain<IMailboxGrain>(route.AccountId);
    }

    /// <summary>The stored bytes of a message, read as the HTTP API serves them.</summary>
    public static async Task<byte[]> RawAsync(MailHostFixture host, string address, long messageId)
    {
        using var user = await host.LoginAsync(address, "test-password");
        return await user.GetByteArrayAsync($"/v1/emails/{messageId}/raw");
    }
}
