using System.Diagnostics;
using System.Net;
using MailKit.Security;

namespace Mail.Frontends.Tests.Security;

/// <summary>Whether an address has an account must not show in how long a failed login takes.</summary>
[Collection(CredentialHostCollection.Name)]
public sealed class CredentialTimingTests(CredentialHostFixture host)
{
    private const int Samples = 9;

    [Fact]
    public async Task UnknownUserFailsAboutAsSlowlyAsAWrongPassword()
    {
        var (address, client) = await ApiUsers.CreateAsync(host);
        client.Dispose();
        var wrong = new List<double>();
        var unknown = new List<double>();

        // Each attempt from its own source address, so both kinds see the same (first-failure) delay, and the
        // two kinds interleaved, so drift in the machine's load affects both alike.
        for (var i = 0; i < Samples; i++)
        {
            wrong.Add(await TimeFailedLoginAsync(IPAddress.Parse($"127.0.1.{i + 1}"), address, "not-the-password"));
            unknown.Add(await TimeFailedLoginAsync(IPAddress.Parse($"127.0.2.{i + 1}"), $"nobody-{Guid.NewGuid():N}@example.test", "not-the-password"));
        }

        var ratio = Median(unknown) / Median(wrong);
        Assert.InRange(ratio, 0.5, 2.0);
    }

    private async Task<double> TimeFailedLoginAsync(IPAddress from, string user, string password)
    {
        using var imap = await MailLogins.ConnectImapAsync(host, from);
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<AuthenticationException>(() => imap.AuthenticateAsync(user, password));
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
