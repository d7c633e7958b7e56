using System.Net;
using System.Text;
using Mail.Grains.Reputation.Webhooks;
using Microsoft.Extensions.Options;

namespace Mail.Protocol.Tests.Reputation;

public class WebhookSignatureTests
{
    [Fact]
    public void SignatureIsHexHmacSha256OfTimestampDotBody()
    {
        // Independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
        var signature = WebhookSignature.Sign("whsec_test", 1700000000, Encoding.UTF8.GetBytes("{\"a\":1}"));
        Assert.Equal("sha256=" + OpenSslHmac("whsec_test", "1700000000.{\"a\":1}"), signature);
        Assert.NotEqual(signature, WebhookSignature.Sign("whsec_test", 1700000001, Encoding.UTF8.GetBytes("{\"a\":1}")));
    }

    [Fact]
    public void SecretsAreLongRandomAndUrlSafe()
    {
        var secrets = Enumerable.Range(0, 50).Select(_ => WebhookSignature.NewSecret()).ToArray();
        Assert.All(secrets, s => Assert.Matches("^whsec_[A-Za-z0-9_-]{43}$", s));
        Assert.Equal(secrets.Length, secrets.Distinct().Count());
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("93.184.216.34", true)]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946", true)]
    public void OnlyPublicAddressesAreTargetsUnlessPrivateOnesAreAllowed(string address, bool allowed)
    {
        var strict = new WebhookTargets(Options.Create(new WebhookOptions()));
        Assert.Equal(allowed, strict.IsAllowed(IPAddress.Parse(address)));
        Assert.True(new WebhookTargets(Options.Create(new WebhookOptions { AllowPrivateTargets = true })).IsAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("https://hooks.example.com/mail", null)]
    [InlineData("http://hooks.example.com/mail", "url must be https.")]
    [InlineData("https://10.0.0.5/mail", "url must not point at a private or loopback address.")]
    [InlineData("https://[::1]/mail", "url must not point at a private or loopback address.")]
    [InlineData("https://u:p@hooks.example.com/", "url must not carry credentials; put a token in the path or verify the signature.")]
    [InlineData("hooks.example.com/mail", "url must be an absolute http(s) URL.")]
    public void RegistrationRefusesPlainHttpAndInternalAddressesByDefault(string url, string? refusal) =>
        Assert.Equal(refusal, new WebhookTargets(Options.Create(new WebhookOptions())).Refusal(url));

    private static string OpenSslHmac(string key, string data)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("openssl", ["dgst", "-sha256", "-hmac", key, "-r"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        })!;
        process.StandardInput.Write(data);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Split(' ')[0].Trim();
    }
}
