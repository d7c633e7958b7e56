using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Mail.Integration.Tests.Api;

/// <summary>The DNS records of a claimed domain over the admin API, and the refusal of unverified senders off the platform.</summary>
public sealed class SendingDomainApiTests(VerifiedDomainsHostFixture host) : IClassFixture<VerifiedDomainsHostFixture>
{
    private const string Refusal = "sender domain example.test is not verified for sending (publish its DKIM record, then POST /v1/admin/domains/example.test/verify)";

    [Fact]
    public async Task ClaimedDomainHasADkimKeyAndListsItsRecords()
    {
        using var admin = host.CreateAdminClient();
        (await admin.PostAsJsonAsync("/v1/admin/domains", new { domain = "dkim-api.test" })).EnsureSuccessStatusCode();

        var body = await admin.GetFromJsonAsync<JsonElement>("/v1/admin/domains/dkim-api.test/dns");

        var records = body.GetProperty("records").EnumerateArray().ToArray();
        Assert.Equal(["inbound", "return-path", "spf", "dkim", "dmarc"], records.Select(r => r.GetProperty("purpose").GetString()));
        var dkim = records[3];
        Assert.Equal("TXT", dkim.GetProperty("type").GetString());
        Assert.EndsWith("._domainkey.dkim-api.test", dkim.GetProperty("name").GetString());
        Assert.StartsWith("v=DKIM1; k=rsa; p=MII", dkim.GetProperty("value").GetString());
        Assert.Equal("unverified", dkim.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, dkim.GetProperty("checked_at").ValueKind);
        Assert.Equal("v=spf1 a:mx.mail.test -all", records[2].GetProperty("value").GetString());

        var rotated = await (await admin.PostAsync("/v1/admin/domains/dkim-api.test/dkim/rotate", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, rotated.GetProperty("records").EnumerateArray().Count(r => r.GetProperty("purpose").GetString() == "dkim"));
    }

    [Fact]
    public async Task UnknownDomainIsNotFound()
    {
        using var admin = host.CreateAdminClient();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/v1/admin/domains/nowhere.test/dns")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/v1/admin/domains/nowhere.test/verify", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/v1/admin/domains/nowhere.test/dkim/rotate", null)).StatusCode);
    }

    [Fact]
    public async Task DemoDomainHasKeysFromTheSeeder()
    {
        using var admin = host.CreateAdminClient();
        var body = await admin.GetFromJsonAsync<JsonElement>("/v1/admin/domains/example.test/dns");
        Assert.Single(body.GetProperty("records").EnumerateArray(), r => r.GetProperty("purpose").GetString() == "dkim");
    }

    [Fact]
    public async Task ApiRefusesRemoteRecipientsOfAnUnverifiedDomainButDeliversLocally()
    {
        using var alice = await host.LoginAsync("alice@example.test");

        var refused = await alice.PostAsJsonAsync("/v1/send", new { to = new[] { "bob@example.test", "carol@remote.example" }, subject = "s", text = "t" });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(Refusal, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        await ApiUsers.SendAsync(alice, new { to = new[] { "bob@example.test" }, subject = "s", text = "t" });
    }

    [Fact]
    public async Task SubmissionRefusesTheFirstRemoteRecipientOfAnUnverifiedDomain()
    {
        using var client = new SmtpClient();
        client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        await client.ConnectAsync("127.0.0.1", host.SubmissionPort, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync("alice@example.test", "demo-password");

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(Message("carol@remote.example")));

        Assert.Equal((SmtpErrorCode.RecipientNotAccepted, 550), (error.ErrorCode, (int)error.StatusCode));
        Assert.Equal($"5.7.1 <alice@example.test>: {Refusal}", error.Message);
        await client.SendAsync(Message("bob@example.test"));
        await client.DisconnectAsync(true);
    }

    private static MimeMessage Message(string to)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("alice@example.test"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = "submission";
        message.Body = new TextPart("plain") { Text = "hello" };
        return message;
    }
}
