using System.Net.Http.Json;
using System.Text.Json;

namespace Mail.Testing;

/// <summary>Creates fresh users through the admin API and sends mail as them, so tests sharing a host never share a mailbox.</summary>
public static class ApiUsers
{
    /// <summary>Creates a user on a hosted domain (default example.test) and returns the address and a logged-in client.</summary>
    public static async Task<(string Address, HttpClient Client)> CreateAsync(MailHostFixture host, string domain = "example.test", long? quotaBytes = null)
    {
        var address = $"u{Guid.NewGuid():N}"[..13] + "@" + domain;
        using var admin = host.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/v1/admin/accounts", new { address, password = "test-password", quota_bytes = quotaBytes });
        response.EnsureSuccessStatusCode();
        return (address, await host.LoginAsync(address, "test-password"));
    }

    /// <summary>Makes sure a domain is hosted (201 or 409 both mean it is).</summary>
    public static async Task EnsureDomainAsync(MailHostFixture host, string domain, string? tenant = null)
    {
        using var admin = host.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/v1/admin/domains", new { domain, tenant });
        if (response.StatusCode != System.Net.HttpStatusCode.Conflict) response.EnsureSuccessStatusCode();
    }

    /// <summary>Sends a message and returns the parsed 201 body.</summary>
    public static async Task<JsonElement> SendAsync(HttpClient client, object request)
    {
        var response = await client.PostAsJsonAsync("/v1/send", request);
        if (response.StatusCode != System.Net.HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"send answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The items of a folder listing.</summary>
    public static async Task<JsonElement[]> ListAsync(HttpClient client, string folder = "INBOX", int page = 1, int pageSize = 50)
    {
        var body = await client.GetFromJsonAsync<JsonElement>($"/v1/emails?folder={Uri.EscapeDataString(folder)}&page={page}&page_size={pageSize}");
        return body.GetProperty("items").EnumerateArray().ToArray();
    }
}
