using System.Net.Http.Json;
using System.Text.Json;
using MimeKit;

namespace Mail.Integration.Tests.Outbound;

/// <summary>What a sender sees of its outbound mail: the /v1/outbound rows and the DSNs in its INBOX.</summary>
public static class OutboundProbe
{
    /// <summary>Waits until the sender's row for <paramref name="recipient"/> is in <paramref name="state"/>; returns it.</summary>
    public static async Task<JsonElement> WaitForStateAsync(HttpClient sender, string recipient, string state, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonElement? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var rows = await sender.GetFromJsonAsync<JsonElement[]>("/v1/outbound");
            last = rows!.FirstOrDefault(r => r.GetProperty("recipient").GetString() == recipient);
            if (last is { } row && row.GetProperty("status").GetString() == state) return row;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{recipient} did not reach '{state}' in {seconds} s; last row: {last}");
    }

    /// <summary>Waits for a DSN in the sender's INBOX and returns it parsed.</summary>
    public static async Task<MimeMessage> WaitForDsnAsync(HttpClient sender, string subject = "Undelivered Mail Returned to Sender", int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            var item = (await ApiUsers.ListAsync(sender)).FirstOrDefault(i => i.GetProperty("subject").GetString() == subject);
            if (item.ValueKind == JsonValueKind.Object)
            {
                var raw = await sender.GetByteArrayAsync($"/v1/emails/{item.GetProperty("id").GetString()}/raw");
                return MimeMessage.Load(new MemoryStream(raw));
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"no DSN '{subject}' in {seconds} s");
    }

    /// <summary>The per-message and first per-recipient field groups of a DSN's message/delivery-status part.</summary>
    public static (HeaderList Message, HeaderList Recipient) StatusFields(MimeMessage dsn)
    {
        var report = Assert.IsType<MultipartReport>(dsn.Body);
        Assert.Equal("delivery-status", report.ReportType);
        var status = Assert.IsType<MessageDeliveryStatus>(report[1]);
        return (status.StatusGroups[0], status.StatusGroups[1]);
    }

    /// <summary>The DKIM key records the host publishes for <paramref name="domain"/>, name → value.</summary>
    public static async Task<Dictionary<string, string>> DkimRecordsAsync(MailHostFixture host, string domain)
    {
        using var admin = host.CreateAdminClient();
        var body = await admin.GetFromJsonAsync<JsonElement>($"/v1/admin/domains/{domain}/dns");
        return body.GetProperty("records").EnumerateArray()
            .Where(r => r.GetProperty("purpose").GetString() is "dkim" or "dkim-retired")
            .ToDictionary(r => r.GetProperty("name").GetString()!.TrimEnd('.'), r => r.GetProperty("value").GetString()!);
    }
}
