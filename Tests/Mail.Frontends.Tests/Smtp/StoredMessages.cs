using System.Text;
using System.Text.RegularExpressions;

namespace Mail.Frontends.Tests.Smtp;

/// <summary>Reads what the SMTP frontend stored back through the HTTP API and checks it against what was sent.</summary>
public static class StoredMessages
{
    /// <summary>The raw bytes of the only message in the user's INBOX.</summary>
    public static async Task<byte[]> SingleRawAsync(HttpClient user)
    {
        var item = Assert.Single(await ApiUsers.ListAsync(user));
        return await user.GetByteArrayAsync($"/v1/emails/{item.GetProperty("id").GetString()}/raw");
    }

    /// <summary>
    /// Checks that <paramref name="raw"/> is exactly <paramref name="body"/> preceded only by the
    /// Return-Path and Received trace fields the frontend adds (RFC 5321 §4.4) and, for mail taken by the MX
    /// (no "A" in the protocol), the one Authentication-Results field of its sender checks (RFC 8601).
    /// </summary>
    public static void AssertIsBodyAfterTraceHeaders(byte[] raw, byte[] body, string from, string? singleRecipient, string protocol = "ESMTP", bool tls = false)
    {
        Assert.True(raw.Length >= body.Length, $"stored {raw.Length} bytes, sent {body.Length}");
        Assert.Equal(body, raw[^body.Length..]);
        var prefix = Encoding.UTF8.GetString(raw[..^body.Length]);
        var tlsLine = tls ? @"\r\n\t\(using TLSv1\.[23] with cipher [A-Za-z0-9_]+\)" : "";
        var forLine = singleRecipient is null ? "" : $@"\r\n\tfor <{Regex.Escape(singleRecipient)}>";
        var results = protocol.EndsWith('A') ? "" : @"Authentication-Results: localhost;(\r\n\t[^\r\n]+)+\r\n";
        Assert.Matches(
            $@"^{results}Return-Path: <{Regex.Escape(from)}>\r\n" +
            @"Received: from client\.example \(\[127\.0\.0\.1\]\)\r\n" +
            $@"\tby localhost \(Mail\) with {protocol} id [0-9A-F]{{16}}{tlsLine}{forLine};\r\n" +
            @"\t(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} \+0000\r\n\z",
            prefix);
    }
}
