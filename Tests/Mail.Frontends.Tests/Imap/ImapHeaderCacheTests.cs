using System.Text;
using Mail.Frontends.Tests.Smtp;
using Npgsql;

namespace Mail.Frontends.Tests.Imap;

/// <summary>
/// The header cache (Mail.Mime.HeaderCache): ENVELOPE and HEADER.FIELDS of listing fields are answered from the
/// message row without reading the blob, byte for byte as from the whole header; other header fetches read the blob.
/// </summary>
[Collection(ImapHostCollection.Name)]
public sealed class ImapHeaderCacheTests(ImapHostFixture host)
{
    private const string Message =
        "Received: from relay.example by mx.example; Mon, 03 Feb 2025 09:59:00 +0000\r\n" +
        "DKIM-Signature: v=1; a=rsa-sha256; d=remote.example; s=sel;\r\n\tb=AAAABBBBCCCC\r\n" +
        "From: =?UTF-8?Q?J=C3=BCrgen?= <jurgen@remote.example>\r\n" +
        "X-Custom: kept only in the blob\r\n" +
        "To: Bob <bob@example.test>,\r\n Carol <carol@example.test>\r\n" +
        "Subject: A folded\r\n subject line\r\n" +
        "Date: Mon, 03 Feb 2025 10:00:00 +0000\r\n" +
        "Message-ID: <cache-test@remote.example>\r\n" +
        "In-Reply-To: <parent@remote.example>\r\n" +
        "\r\n" +
        "Body text.\r\n";

    [Fact]
    public async Task ListingFieldsAreServedWithoutTheBlobAndMatchTheWholeHeader()
    {
        var (address, api) = await ImapTestMail.NewUserAsync(host);
        api.Dispose();
        await ImapTestMail.DeliverAsync(host, address, "", raw: Message.Replace("bob@example.test", address));

        // From the blob: RFC822.HEADER needs the whole header, so ENVELOPE is computed from it too.
        string fromBlob;
        await using (var imap = await ImapTestMail.LoginAsync(host, address))
        {
            await SelectAsync(imap);
            fromBlob = await FetchAsync(imap, "f1", "FETCH 1 (ENVELOPE RFC822.HEADER)");
        }
        Assert.Contains("X-Custom: kept only in the blob", fromBlob);

        await DeleteBlobsAsync(address);

        await using (var imap = await ImapTestMail.LoginAsync(host, address))
        {
            await SelectAsync(imap);
            var cached = await FetchAsync(imap, "f2", "FETCH 1 (ENVELOPE BODY.PEEK[HEADER.FIELDS (SUBJECT from Date)])");
            Assert.Equal(Envelope(fromBlob), Envelope(cached));
            Assert.EndsWith(
                "BODY[HEADER.FIELDS (SUBJECT from Date)] {130}\r\n" +
                "From: =?UTF-8?Q?J=C3=BCrgen?= <jurgen@remote.example>\r\n" +
                "Subject: A folded\r\n subject line\r\n" +
                "Date: Mon, 03 Feb 2025 10:00:00 +0000\r\n\r\n)\r\nf2 OK FETCH completed\r\n",
                cached);

            // A field outside the cache needs the blob, which is gone: the command fails, the session goes on.
            var uncached = await FetchAsync(imap, "f3", "FETCH 1 (BODY.PEEK[HEADER.FIELDS (X-Custom)])");
            Assert.DoesNotContain("f3 OK", uncached);
            await imap.RunAsync("""
                C: n1 NOOP
                S: n1 OK NOOP completed
                """);
        }
    }

    private static async Task SelectAsync(SmtpTranscript imap)
    {
        await imap.CommandAsync("s1 SELECT INBOX");
        while (!(await imap.ExpectLineStartsWithAsync("")).StartsWith("s1 ", StringComparison.Ordinal))
        {
        }
    }

    /// <summary>Everything the server answers to a command, up to and including its tagged line.</summary>
    private static async Task<string> FetchAsync(SmtpTranscript imap, string tag, string command)
    {
        await imap.CommandAsync($"{tag} {command}");
        var answer = new StringBuilder();
        while (true)
        {
            var line = await imap.ReadLineAsync() ?? throw new Xunit.Sdk.XunitException("The server closed the connection.");
            answer.Append(line);
            if (line.StartsWith(tag + " ", StringComparison.Ordinal)) return answer.ToString();
        }
    }

    private static string Envelope(string fetch)
    {
        var start = fetch.IndexOf("ENVELOPE (", StringComparison.Ordinal);
        Assert.True(start >= 0, fetch);
        var depth = 0;
        for (var i = start + "ENVELOPE ".Length; i < fetch.Length; i++)
        {
            if (fetch[i] == '(') depth++;
            else if (fetch[i] == ')' && --depth == 0) return fetch[start..(i + 1)];
        }
        throw new Xunit.Sdk.XunitException($"Unterminated ENVELOPE: {fetch}");
    }

    private async Task DeleteBlobsAsync(string address)
    {
        await using var connection = new NpgsqlConnection(host.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT m.blob_name, m.header_cache IS NOT NULL FROM mailbox_messages m JOIN directory_accounts d ON d.account_id = m.account_id WHERE d.address = @a",
            connection);
        command.Parameters.AddWithValue("a", address);
        await using var reader = await command.ExecuteReaderAsync();
        var deleted = 0;
        while (await reader.ReadAsync())
        {
            Assert.True(reader.GetBoolean(1), "the delivered message has a header cache");
            Assert.True(await StoredBlobFiles.DeleteAsync(host.DataDir, reader.GetString(0)));
            deleted++;
        }
        Assert.Equal(1, deleted);
    }
}
