using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Mail.Integration.Tests.Search;

/// <summary>Delivers mail over the real MX (MailKit) and asks GET /v1/search, for the search tests.</summary>
public static class SearchClient
{
    /// <summary>Delivers <paramref name="message"/> to <paramref name="to"/> over SMTP; returns when the MX answered 250.</summary>
    public static async Task DeliverAsync(MailHostFixture host, MimeMessage message, params string[] to)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", host.SmtpPort, SecureSocketOptions.None);
        await smtp.SendAsync(message, message.From.Mailboxes.First(), to.Select(MailboxAddress.Parse));
        await smtp.DisconnectAsync(true);
    }

    /// <summary>A message from <paramref name="from"/> with a subject and a plain text body.</summary>
    public static MimeMessage Message(string from, string to, string subject, string text)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    /// <summary>The parsed search answer; throws unless 200.</summary>
    public static async Task<JsonElement> QueryAsync(HttpClient client, string q, string? sort = null, int page = 1, int pageSize = 50, bool count = false)
    {
        var response = await client.GetAsync($"/v1/search?q={Uri.EscapeDataString(q)}&page={page}&page_size={pageSize}" +
            (sort is null ? "" : "&sort=" + sort) + (count ? "&count=true" : ""));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"search '{q}' answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>The subjects found by <paramref name="q"/>, sorted.</summary>
    public static async Task<string[]> SubjectsAsync(HttpClient client, string q) =>
        (await QueryAsync(client, q)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("subject").GetString()!).Order().ToArray();

    /// <summary>Polls until <paramref name="q"/> finds <paramref name="count"/> messages; returns how long it took.</summary>
    public static async Task<TimeSpan> WaitForAsync(HttpClient client, string q, int count = 1, int timeoutMs = 10_000)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var found = (await QueryAsync(client, q)).GetProperty("items").GetArrayLength();
            if (found == count) return clock.Elapsed;
            if (clock.ElapsedMilliseconds > timeoutMs) throw new TimeoutException($"'{q}' found {found} messages, not {count}, after {timeoutMs} ms");
            await Task.Delay(10);
        }
    }

    /// <summary>The id of the one message <paramref name="q"/> finds.</summary>
    public static async Task<string> IdAsync(HttpClient client, string q) =>
        Assert.Single((await QueryAsync(client, q)).GetProperty("items").EnumerateArray()).GetProperty("id").GetString()!;

    /// <summary>Patches a message through the API.</summary>
    public static async Task PatchAsync(HttpClient client, string id, object patch) =>
        (await client.PatchAsJsonAsync($"/v1/emails/{id}", patch)).EnsureSuccessStatusCode();
}
