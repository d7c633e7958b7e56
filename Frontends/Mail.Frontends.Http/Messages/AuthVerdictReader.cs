using Mail.Frontends.Http.Api;
using Mail.Security.Results;
using MimeKit;

namespace Mail.Frontends.Http.Messages;

/// <summary>
/// The verdict of our MX from a stored message: the topmost Authentication-Results field, and only when its authserv-id
/// is ours (the MX removes any other field claiming it and puts its own on top, RFC 8601 §5).
/// </summary>
public static class AuthVerdictReader
{
    /// <summary>The verdict, or null when the top results field is not ours (or there is none).</summary>
    public static AuthVerdict? Read(MimeMessage message, string authServId)
    {
        var top = message.Headers.FirstOrDefault(h => h.Id == HeaderId.AuthenticationResults);
        if (top is null || AuthResultsReader.Read(top.Value) is not { } parsed
            || !parsed.AuthServId.Equals(authServId, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var results = parsed.Results;
        var spf = results.FirstOrDefault(r => r.Method == "spf" && r.Properties.ContainsKey("smtp.mailfrom")) ?? results.FirstOrDefault(r => r.Method == "spf");
        var dkim = results.Where(r => r.Method == "dkim").ToList();
        return new AuthVerdict(
            spf?.Result,
            dkim.Any(r => r.Result == "pass") ? "pass" : dkim.FirstOrDefault()?.Result,
            results.FirstOrDefault(r => r.Method == "dmarc")?.Result);
    }
}
