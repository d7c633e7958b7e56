using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// A large APPEND literal streams into the blob store as it arrives (as SMTP DATA does), is filed, and answered OK only
/// then; an APPEND refused after its literal was stored leaves no blob behind.
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapAppendStreamingTests(ImapHostFixture host)
{
    [Fact]
    public async Task ALargeAppendIsStoredFiledAndReadBackExactly()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        var attachment = new byte[3_000_000];
        new Random(7).NextBytes(attachment);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(address));
        message.To.Add(MailboxAddress.Parse("friend@remote.example"));
        message.Subject = "streamed append";
        var body = new BodyBuilder { TextBody = "See attached." };
        body.Attachments.Add("data.bin", attachment);
        message.Body = body.ToMessageBody();
        // As MailKit sends it: CRLF line ends.
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        using var raw = new MemoryStream();
        await message.WriteToAsync(format, raw);

        using var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", host.ImapPort, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(address, ImapTestMail.Password);
        // The server offers LITERAL+, so MailKit sends the message without waiting for "+".
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.LiteralPlus));
        var drafts = await client.GetFolderAsync("Drafts");
        var uid = await drafts.AppendAsync(message, MessageFlags.Draft);

        Assert.NotNull(uid);
        await drafts.OpenAsync(FolderAccess.ReadOnly);
        var summary = (await drafts.FetchAsync([uid!.Value], MessageSummaryItems.Envelope | MessageSummaryItems.Size | MessageSummaryItems.Flags)).Single();
        Assert.Equal("streamed append", summary.Envelope!.Subject);
        Assert.Equal((uint)raw.Length, summary.Size);
        Assert.True(summary.Flags!.Value.HasFlag(MessageFlags.Draft));
        await using (var stored = await drafts.GetStreamAsync(uid.Value, ""))
        {
            using var copy = new MemoryStream();
            await stored.CopyToAsync(copy);
            Assert.Equal(raw.ToArray(), copy.ToArray());
        }
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task AStreamedAppendToAMissingMailboxIsRefusedAndLeavesNoBlob()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        using var _ = api;
        await using var imap = await ImapTestMail.LoginAsync(host, address);
        var blobs = Path.Combine(host.DataDir, "blobs");
        var before = Directory.GetFiles(blobs, "*", SearchOption.AllDirectories).Order().ToArray();

        // Over the packing limit, so it would be a file of its own; synchronizing, so the client waits for "+".
        var literal = Encoding.ASCII.GetBytes("Subject: nowhere\r\n\r\n" + new string('x', 300_000) + "\r\n");
        await imap.CommandAsync($"A1 APPEND NoSuchFolder {{{literal.Length}}}");
        await imap.ExpectLineStartsWithAsync("+ ");
        await imap.SendAsync(literal);
        await imap.SendAsync("\r\n");
        await imap.ExpectLineStartsWithAsync("A1 NO [TRYCREATE]");
        // The next command runs only once the unfiled blob is gone.
        await imap.CommandAsync("A2 NOOP");
        await imap.ExpectLineStartsWithAsync("A2 OK");

        Assert.Equal(before, Directory.GetFiles(blobs, "*", SearchOption.AllDirectories).Order().ToArray());
    }
}
