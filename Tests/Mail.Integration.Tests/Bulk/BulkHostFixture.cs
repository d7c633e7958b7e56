using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Mail.Integration.Tests.Outbound;

namespace Mail.Integration.Tests.Bulk;

/// <summary>
/// The outbound host with bulk limits small enough to reach in a test (a 256 KB body, 5,000 recipients), a two-second
/// sweep of cancelled jobs, and helpers that make a bulk-sending tenant: its domain's records published and verified,
/// and a tenant API key.
/// </summary>
public sealed class BulkHostFixture : OutboundHostFixture
{
    /// <summary>The body limit of POST /v1/bulk here.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>The recipient limit of a job here.</summary>
    public const int MaxRecipients = 5000;

    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Mail:Bulk:MaxBodyBytes"] = MaxBodyBytes.ToString(CultureInfo.InvariantCulture);
            settings["Mail:Bulk:MaxRecipients"] = MaxRecipients.ToString(CultureInfo.InvariantCulture);
            settings["Mail:Bulk:SweepSeconds"] = "2";
            settings["Mail:Outbound:RequireVerifiedDomains"] = "true";
            return settings;
        }
    }

    /// <summary>Hosts <paramref name="domain"/> as its own tenant; with <paramref name="verified"/>, publishes and verifies its records.</summary>
    public async Task<string> AddSendingDomainAsync(string domain, bool verified = true)
    {
        await ApiUsers.EnsureDomainAsync(this, domain, domain);
        using var admin = CreateAdminClient();
        if (!verified) return domain;
        var records = (await admin.GetFromJsonAsync<JsonElement>($"/v1/admin/domains/{domain}/dns")).GetProperty("records").EnumerateArray();
        foreach (var record in records)
        {
            var (type, name, value) = (record.GetProperty("type").GetString()!, record.GetProperty("name").GetString()!, record.GetProperty("value").GetString()!);
            if (type == "MX") Dns.AddMx(name, int.Parse(value.Split(' ')[0], CultureInfo.InvariantCulture), value.Split(' ')[1]);
            else Dns.AddTxt(name, value.Chunk(255).Select(c => new string(c)).ToArray());
        }
        var verify = await (await admin.PostAsync($"/v1/admin/domains/{domain}/verify", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.All(verify.GetProperty("records").EnumerateArray(), r => Assert.Equal("verified", r.GetProperty("status").GetString()));
        return domain;
    }

    /// <summary>A client carrying a new tenant API key (bulk scope) of <paramref name="tenant"/>.</summary>
    public async Task<HttpClient> TenantClientAsync(string tenant)
    {
        using var admin = CreateAdminClient();
        var response = await admin.PostAsJsonAsync($"/v1/admin/tenants/{tenant}/api-keys", new { name = "bulk" });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var key = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        Assert.StartsWith("mt_" + tenant + "_", key);
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }
}
