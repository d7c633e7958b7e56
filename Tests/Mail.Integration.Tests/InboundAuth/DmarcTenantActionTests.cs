using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Mail.Integration.Tests.InboundAuth;

/// <summary>
/// DMARC "p=reject" per tenant (PATCH /v1/admin/tenants/{id} dmarc_reject_action), over SMTP with MailKit: the server's
/// default here is to refuse (550 5.7.1); a tenant that chose quarantine gets such mail in Junk.
/// </summary>
public sealed class DmarcTenantActionTests(InboundAuthHostFixture host) : IClassFixture<InboundAuthHostFixture>
{
    private const string Forger = "ceo@reject.test";

    [Fact]
    public async Task TenantThatChoseQuarantineGetsDmarcRejectFailuresInJunk()
    {
        PublishRejectPolicy();
        var (tenant, to, user) = await TenantUserAsync();
        var patched = await PatchAsync(tenant, "quarantine");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("quarantine", (await patched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("dmarc_reject_action").GetString());

        await SendAsync(to);

        Assert.Empty(await ApiUsers.ListAsync(user));
        Assert.Single(await ApiUsers.ListAsync(user, "Junk"));
    }

    [Fact]
    public async Task TenantOnTheServerDefaultRefusesWith550()
    {
        PublishRejectPolicy();
        var (_, to, user) = await TenantUserAsync();

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(to));

        Assert.Equal(SmtpStatusCode.MailboxUnavailable, refused.StatusCode);
        Assert.Contains("DMARC", refused.Message);
        Assert.Empty(await ApiUsers.ListAsync(user));
        Assert.Empty(await ApiUsers.ListAsync(user, "Junk"));
    }

    [Fact]
    public async Task TenantSetBackToDefaultRefusesAgain()
    {
        PublishRejectPolicy();
        var (tenant, to, _) = await TenantUserAsync();
        await PatchAsync(tenant, "quarantine");
        var reset = await PatchAsync(tenant, "default");
        Assert.Equal(JsonValueKind.Null, (await reset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("dmarc_reject_action").ValueKind);

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(to));

        Assert.Equal(SmtpStatusCode.MailboxUnavailable, refused.StatusCode);
    }

    [Fact]
    public async Task OneTransactionForAQuarantiningAndARejectingTenantFilesInJunkForBoth()
    {
        PublishRejectPolicy();
        var (quarantining, keeper, keeperUser) = await TenantUserAsync();
        var (_, refuser, refuserUser) = await TenantUserAsync();
        await PatchAsync(quarantining, "quarantine");

        await SendAsync(keeper, refuser);

        Assert.Single(await ApiUsers.ListAsync(keeperUser, "Junk"));
        Assert.Single(await ApiUsers.ListAsync(refuserUser, "Junk"));
        Assert.Empty(await ApiUsers.ListAsync(refuserUser));
    }

    [Fact]
    public async Task UnknownActionIsA400AndChangesNothing()
    {
        var (tenant, _, _) = await TenantUserAsync();

        var response = await PatchAsync(tenant, "discard");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var admin = host.CreateAdminClient();
        var info = await admin.GetFromJsonAsync<JsonElement>($"/v1/admin/tenants/{tenant}");
        Assert.Equal(JsonValueKind.Null, info.GetProperty("dmarc_reject_action").ValueKind);
    }

    private void PublishRejectPolicy() =>
        host.Dns.Remove("reject.test").Remove("_dmarc.reject.test")
            .AddTxt("reject.test", "v=spf1 -all").AddTxt("_dmarc.reject.test", "v=DMARC1; p=reject");

    /// <summary>A user in a tenant of its own (one domain per tenant), so the tests never share a tenant's setting.</summary>
    private async Task<(string Tenant, string Address, HttpClient User)> TenantUserAsync()
    {
        var tenant = "t" + Guid.NewGuid().ToString("N")[..10];
        var domain = tenant + ".test";
        await ApiUsers.EnsureDomainAsync(host, domain, tenant);
        var (address, user) = await ApiUsers.CreateAsync(host, domain);
        return (tenant, address, user);
    }

    private async Task<HttpResponseMessage> PatchAsync(string tenant, string action)
    {
        using var admin = host.CreateAdminClient();
        return await admin.PatchAsJsonAsync($"/v1/admin/tenants/{tenant}", new { dmarc_reject_action = action });
    }

    /// <summary>Sends a message whose From fails reject.test's DMARC (SPF -all, no signature) from the authorized-for-HELO address.</summary>
    private async Task SendAsync(params string[] recipients)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(Forger));
        foreach (var to in recipients) message.To.Add(MailboxAddress.Parse(to));
        message.Subject = "Wire transfer";
        message.Body = new TextPart("plain") { Text = "Please pay the attached invoice today." };
        using var client = new SmtpClient
        {
            LocalEndPoint = new IPEndPoint(IPAddress.Parse(InboundAuthHostFixture.GoodClient), 0),
            LocalDomain = InboundAuthHostFixture.Helo,
        };
        await client.ConnectAsync("127.0.0.1", host.SmtpPort, SecureSocketOptions.None);
        try
        {
            await client.SendAsync(message);
        }
        finally
        {
            await client.DisconnectAsync(quit: true);
        }
    }
}
