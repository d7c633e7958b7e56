using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Mail.Integration.Tests.Api;

/// <summary>The host with MAIL_BLOB_STORE=azure, against Azurite.</summary>
public sealed class AzureHostFixture : MailHostFixture
{
    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Blobs:Kind"] = "azure",
        ["Mail:Blobs:AzureConnectionString"] = Environment.GetEnvironmentVariable("MAIL_TEST_AZURITE")
            ?? throw new InvalidOperationException("MAIL_TEST_AZURITE is not set: run the tests through infra/test.sh, which starts Azurite."),
        ["Mail:Blobs:AzureContainer"] = "host-" + Database.Name.Replace('_', '-'),
    };
}

/// <summary>Message content on Azure Blob Storage, selected by configuration.</summary>
public sealed class AzureBlobHostTests(AzureHostFixture host) : IClassFixture<AzureHostFixture>
{
    [Fact]
    public async Task MessagesRoundTripThroughAzureBlobStorage()
    {
        var attachment = new byte[200_000];
        Random.Shared.NextBytes(attachment);
        using var alice = await host.LoginAsync("alice@example.test");
        await ApiUsers.SendAsync(alice, new
        {
            to = new[] { "bob@example.test" },
            subject = "on azure",
            text = "stored in a blob container",
            attachments = new[] { new { filename = "a.bin", content_type = "application/octet-stream", content_base64 = Convert.ToBase64String(attachment) } },
        });
        using var bob = await host.LoginAsync("bob@example.test");
        var id = (await ApiUsers.ListAsync(bob)).Single(i => i.GetProperty("subject").GetString() == "on azure").GetProperty("id").GetString();
        Assert.Equal(attachment, await bob.GetByteArrayAsync($"/v1/emails/{id}/attachments/0"));
        Assert.False(Directory.Exists(Path.Combine(host.DataDir, "blobs")), "the filesystem store should not be used");
    }
}

/// <summary>A damaged or missing blob is reported, never served as garbage.</summary>
public sealed class DamagedBlobTests(MailHostFixture host) : IClassFixture<MailHostFixture>
{
    [Fact]
    public async Task TamperedContentIsReportedAsCorruptAndMissingContentAsMissing()
    {
        var (_, sender) = await ApiUsers.CreateAsync(host);
        var (to, recipient) = await ApiUsers.CreateAsync(host);
        await ApiUsers.SendAsync(sender, new { to = new[] { to }, subject = "fragile", text = "do not tamper" });
        await ApiUsers.SendAsync(sender, new { to = new[] { to }, subject = "vanishing", text = "gone soon" });
        var items = await ApiUsers.ListAsync(recipient);
        var fragile = items.Single(i => i.GetProperty("subject").GetString() == "fragile").GetProperty("id").GetString()!;
        var vanishing = items.Single(i => i.GetProperty("subject").GetString() == "vanishing").GetProperty("id").GetString()!;

        await StoredBlobFiles.FlipByteAsync(host.DataDir, await BlobNameAsync(fragile), fromEnd: 20);
        Assert.True(await StoredBlobFiles.DeleteAsync(host.DataDir, await BlobNameAsync(vanishing)));

        var corrupt = await recipient.GetAsync($"/v1/emails/{fragile}");
        Assert.Equal(HttpStatusCode.InternalServerError, corrupt.StatusCode);
        var problem = await corrupt.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("integrity", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("do not tamper", await corrupt.Content.ReadAsStringAsync());

        var missing = await recipient.GetAsync($"/v1/emails/{vanishing}");
        Assert.Equal(HttpStatusCode.InternalServerError, missing.StatusCode);
        Assert.Contains("could not be found", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await recipient.GetAsync("/v1/quota")).StatusCode);
    }

    private async Task<string> BlobNameAsync(string messageId)
    {
        await using var connection = new NpgsqlConnection(host.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT blob_name FROM mailbox_messages WHERE message_id = @id AND folder_id = 1 ORDER BY account_id LIMIT 1", connection);
        command.Parameters.AddWithValue("id", long.Parse(messageId, System.Globalization.CultureInfo.InvariantCulture));
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
