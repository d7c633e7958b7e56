using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mail.Integration.Tests.InboundAuth;

/// <summary>
/// Sender authentication at the MX, end to end: records in a real DNS server, messages signed by python3-dkim (not by
/// the code under test), sent from bound loopback addresses, read back through the API.
/// </summary>
public sealed class InboundAuthTests(InboundAuthHostFixture host) : IClassFixture<InboundAuthHostFixture>
{
    private const string Good = InboundAuthHostFixture.GoodClient;
    private const string Bad = InboundAuthHostFixture.BadClient;
    private const string Helo = InboundAuthHostFixture.Helo;

    [Fact]
    public async Task AlignedSpfAndDkimPassGiveOneResultsFieldOnTopAndTheBodyIsKeptByteForByte()
    {
        host.Dns.AddTxt("pass.test", "v=spf1 ip4:127.0.0.7 -all").AddTxt("_dmarc.pass.test", "v=DMARC1; p=reject");
        host.PublishKey("sel", "pass.test");
        var (to, user) = await ApiUsers.CreateAsync(host);
        var signed = await PythonDkim.SignAsync(Message("a@pass.test", to), "sel", "pass.test", host.KeyPem);

        Assert.StartsWith("250", await SendAsync(Good, "a@pass.test", to, signed));

        var raw = await SingleRawAsync(user);
        var results = ResultsField(raw);
        Assert.Contains("spf=pass smtp.mailfrom=a@pass.test", results);
        Assert.Contains("spf=pass smtp.helo=client.sender.test", results);
        Assert.Contains("dkim=pass header.d=pass.test header.s=sel", results);
        Assert.Contains("dmarc=pass", results);
        Assert.Contains("arc=none", results);
        Assert.Single(Regex.Matches(raw, "^Authentication-Results:", RegexOptions.Multiline));
        Assert.Matches(@"^Authentication-Results: mx\.inbound\.test;(\r\n\t[^\r\n]+)+\r\nReturn-Path: <a@pass\.test>\r\nReceived: ", raw);
        Assert.EndsWith(Encoding.Latin1.GetString(signed), raw);
    }

    [Theory]
    [InlineData("spf-fail.test", "v=spf1 -all", "fail")]
    [InlineData("spf-soft.test", "v=spf1 ~all", "softfail")]
    [InlineData("spf-neutral.test", "v=spf1 ?all", "neutral")]
    [InlineData("spf-pass-mx.test", "v=spf1 mx -all", "pass")]
    [InlineData("spf-loop.test", "v=spf1 include:spf-loop.test -all", "permerror")]
    [InlineData("spf-many.test", "v=spf1 a:h1.spf-many.test a:h2.spf-many.test a:h3.spf-many.test a:h4.spf-many.test a:h5.spf-many.test a:h6.spf-many.test a:h7.spf-many.test a:h8.spf-many.test a:h9.spf-many.test a:h10.spf-many.test a:h11.spf-many.test ip4:127.0.0.7 -all", "permerror")]
    [InlineData("spf-syntax.test", "v=spf1 ip4:not-an-address -all", "permerror")]
    [InlineData("spf-two.test", "v=spf1 -all|v=spf1 +all", "permerror")]
    public async Task SpfResultOfTheMailFromDomainIsRecorded(string domain, string records, string expected)
    {
        foreach (var record in records.Split('|')) host.Dns.AddTxt(domain, record);
        host.Dns.AddMx("spf-pass-mx.test", 10, "mx.spf-pass-mx.test").AddA("mx.spf-pass-mx.test", Good);
        for (var i = 1; i <= 11; i++) host.Dns.AddA($"h{i}.spf-many.test", "192.0.2.1");
        var (to, user) = await ApiUsers.CreateAsync(host);

        Assert.StartsWith("250", await SendAsync(Good, $"x@{domain}", to, Message($"x@{domain}", to)));

        Assert.Contains($"spf={expected} smtp.mailfrom=x@{domain}", ResultsField(await SingleRawAsync(user)));
    }

    [Fact]
    public async Task SpfWithoutRecordIsNoneAndAServfailIsTemperror()
    {
        host.Dns.AddA("spf-none.test", "192.0.2.1").AddTxt("spf-temp.test", "v=spf1 +all").SetServFail("spf-temp.test");
        var (to, user) = await ApiUsers.CreateAsync(host);

        Assert.StartsWith("250", await SendAsync(Good, "x@spf-none.test", to, Message("x@spf-none.test", to, "none")));
        Assert.StartsWith("250", await SendAsync(Good, "x@spf-temp.test", to, Message("x@spf-temp.test", to, "temp")));

        var raws = await AllRawAsync(user);
        Assert.Contains(raws, r => ResultsField(r).Contains("spf=none smtp.mailfrom=x@spf-none.test"));
        Assert.Contains(raws, r => ResultsField(r).Contains("spf=temperror smtp.mailfrom=x@spf-temp.test"));
    }

    [Fact]
    public async Task SpfFailsForAnUnauthorizedSourceAddress()
    {
        host.Dns.AddTxt("ip.test", "v=spf1 ip4:127.0.0.7 -all");
        var (to, user) = await ApiUsers.CreateAsync(host);

        Assert.StartsWith("250", await SendAsync(Bad, "x@ip.test", to, Message("x@ip.test", to)));

        var results = ResultsField(await SingleRawAsync(user));
        Assert.Contains("spf=fail smtp.mailfrom=x@ip.test", results);
        Assert.Contains("spf=fail smtp.helo=client.sender.test", results);
    }

    [Fact]
    public async Task DkimFailsWhenTheBodyIsTamperedAndIsPermerrorWithoutAKey()
    {
        host.PublishKey("sel", "dkim.test");
        var (to, user) = await ApiUsers.CreateAsync(host);
        var signed = Encoding.Latin1.GetString(await PythonDkim.SignAsync(Message("a@dkim.test", to, "tampered"), "sel", "dkim.test", host.KeyPem));
        var tampered = Encoding.Latin1.GetBytes(signed.Replace("Hello.", "HellO.", StringComparison.Ordinal));
        var unknownKey = await PythonDkim.SignAsync(Message("a@dkim.test", to, "no key"), "missing", "dkim.test", host.KeyPem);

        Assert.StartsWith("250", await SendAsync(Good, "a@dkim.test", to, tampered));
        Assert.StartsWith("250", await SendAsync(Good, "a@dkim.test", to, unknownKey));

        var raws = await AllRawAsync(user);
        Assert.Contains(raws, r => r.Contains("Subject: tampered") && ResultsField(r).Contains("dkim=fail header.d=dkim.test header.s=sel"));
        Assert.Contains(raws, r => r.Contains("Subject: no key") && ResultsField(r).Contains("dkim=permerror header.d=dkim.test header.s=missing"));
    }

    [Fact]
    public async Task Ed25519AndRsaSignaturesAreEachVerified()
    {
        var seed = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var publicKey = new Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters(seed, 0).GeneratePublicKey().GetEncoded();
        host.Dns.AddTxt("ed._domainkey.ed.test", "v=DKIM1; k=ed25519; p=" + Convert.ToBase64String(publicKey));
        host.PublishKey("rsa", "ed.test");
        var (to, user) = await ApiUsers.CreateAsync(host);
        var rsa = await PythonDkim.SignAsync(Message("a@ed.test", to), "rsa", "ed.test", host.KeyPem);
        var both = await PythonDkim.SignAsync(rsa, "ed", "ed.test", Convert.ToBase64String(seed), "ed25519-sha256");

        Assert.StartsWith("250", await SendAsync(Good, "a@ed.test", to, both));

        var results = ResultsField(await SingleRawAsync(user));
        Assert.Contains("dkim=pass header.d=ed.test header.s=ed", results);
        Assert.Contains("dkim=pass header.d=ed.test header.s=rsa", results);
    }

    [Fact]
    public async Task AHostedDomainsOwnDkimSignedMailIsAccepted()
    {
        await ApiUsers.EnsureDomainAsync(host, "hosted-signed.test");
        host.PublishKey("sel", "hosted-signed.test");
        var (to, user) = await ApiUsers.CreateAsync(host);
        var signed = await PythonDkim.SignAsync(Message("ceo@hosted-signed.test", to), "sel", "hosted-signed.test", host.KeyPem);

        Assert.StartsWith("250", await SendAsync(Bad, "ceo@hosted-signed.test", to, signed));

        Assert.Contains("dkim=pass header.d=hosted-signed.test", ResultsField(await SingleRawAsync(user)));
    }

    [Fact]
    public async Task DkimPassesOnAMessageLargerThanTheInMemoryHoldAndItIsStoredExactly()
    {
        host.PublishKey("big", "large.test");
        var (to, user) = await ApiUsers.CreateAsync(host);
        var body = string.Concat(Enumerable.Repeat("0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ\r\n", 6000));
        var signed = await PythonDkim.SignAsync(Message("a@large.test", to, "large", body), "big", "large.test", host.KeyPem);
        Assert.True(signed.Length > 256 * 1024);

        Assert.StartsWith("250", await SendAsync(Good, "a@large.test", to, signed));

        var raw = await SingleRawAsync(user);
        Assert.Contains("dkim=pass header.d=large.test header.s=big", ResultsField(raw));
        Assert.EndsWith(Encoding.Latin1.GetString(signed), raw);
    }

    [Fact]
    public async Task DmarcRejectIsRefusedAtTheEndOfData()
    {
        host.Dns.AddTxt("reject.test", "v=spf1 -all").AddTxt("_dmarc.reject.test", "v=DMARC1; p=reject");
        var (to, user) = await ApiUsers.CreateAsync(host);

        var reply = await SendAsync(Good, "x@reject.test", to, Message("x@reject.test", to));

        Assert.StartsWith("550 5.7.1", reply);
        Assert.Contains("DMARC", reply);
        Assert.Empty(await ApiUsers.ListAsync(user));
        Assert.Empty(await ApiUsers.ListAsync(user, "Junk"));
    }

    [Fact]
    public async Task DmarcQuarantineIsFiledInJunk()
    {
        host.Dns.AddTxt("quarantine.test", "v=spf1 -all").AddTxt("_dmarc.quarantine.test", "v=DMARC1; p=quarantine");
        var (to, user) = await ApiUsers.CreateAsync(host);

        Assert.StartsWith("250", await SendAsync(Good, "x@quarantine.test", to, Message("x@quarantine.test", to)));

        Assert.Empty(await ApiUsers.ListAsync(user));
        Assert.Contains("dmarc=fail (p=QUARANTINE dis=QUARANTINE) header.from=quarantine.test", ResultsField(await SingleRawAsync(user, "Junk")));
    }

    [Fact]
    public async Task DmarcPctZeroSamplesRejectDownToQuarantine()
    {
        host.Dns.AddTxt("pct.test", "v=spf1 -all").AddTxt("_dmarc.pct.test", "v=DMARC1; p=reject; pct=0");
        var (to, user) = await ApiUsers.CreateAsync(host);

        Assert.StartsWith("250", await SendAsync(Good, "x@pct.test", to, Message("x@pct.test", to)));

        Assert.Contains("dmarc=fail (p=REJECT dis=QUARANTINE)", ResultsField(await SingleRawAsync(user, "Junk")));
    }

    [Fact]
    public async Task DmarcNoneDeliversWithDmarcFailRecorded()
    {
        host.Dns.AddTxt("monitor.test", "v=spf1 -all").AddTxt("_dmarc.monitor.test", "v=DMARC1; p=none; rua=mailto:r@monitor.test");
        var (to, user) = await ApiUsers.CreateAsync(host);

        Assert.StartsWith("250", await SendAsync(Good, "x@monitor.test", to, Message("x@monitor.test", to)));

        Assert.Contains("dmarc=fail (p=NONE dis=NONE) header.from=monitor.test", ResultsField(await SingleRawAsync(user)));
    }

    [Fact]
    public async Task DmarcPolicyOfTheOrganizationalDomainAppliesToASubdomainWithItsSp()
    {
        host.Dns.AddTxt("news.org-policy.co.uk", "v=spf1 -all").AddTxt("_dmarc.org-policy.co.uk", "v=DMARC1; p=none; sp=reject");
        var (to, _) = await ApiUsers.CreateAsync(host);

        var reply = await SendAsync(Good, "x@news.org-policy.co.uk", to, Message("x@news.org-policy.co.uk", to));

        Assert.StartsWith("550 5.7.1", reply);
    }

    [Fact]
    public async Task RelaxedAlignmentAcceptsASubdomainSignatureAndStrictDoesNot()
    {
        host.Dns.AddTxt("_dmarc.relaxed.test", "v=DMARC1; p=reject; adkim=r").AddTxt("_dmarc.strict.test", "v=DMARC1; p=reject; adkim=s");
        host.PublishKey("sel", "mail.relaxed.test");
        host.PublishKey("sel", "mail.strict.test");
        var (to, user) = await ApiUsers.CreateAsync(host);
        var relaxed = await PythonDkim.SignAsync(Message("a@relaxed.test", to), "sel", "mail.relaxed.test", host.KeyPem);
        var strict = await PythonDkim.SignAsync(Message("a@strict.test", to), "sel", "mail.strict.test", host.KeyPem);

        Assert.StartsWith("250", await SendAsync(Good, "bounce@elsewhere.test", to, relaxed));
        Assert.StartsWith("550 5.7.1", await SendAsync(Good, "bounce@elsewhere.test", to, strict));

        var results = ResultsField(await SingleRawAsync(user));
        Assert.Contains("dkim=pass header.d=mail.relaxed.test", results);
        Assert.Contains("dmarc=pass", results);
    }

    [Fact]
    public async Task ForgedResultsClaimingOurNameAreRemovedAndOthersKept()
    {
        host.Dns.AddTxt("forge.test", "v=spf1 -all");
        var (to, user) = await ApiUsers.CreateAsync(host);
        var headers = "Authentication-Results: MX.inbound.test;\r\n\tdkim=pass header.d=bank.example;\r\n\tdmarc=pass\r\n" +
                      "Authentication-Results: other.example; spf=pass smtp.mailfrom=forge.test\r\n" +
                      "Authentication-Results: (comment) \"mx.inbound.test\"; dmarc=pass\r\n";
        var message = Message("x@forge.test", to, extraHeaders: headers);

        Assert.StartsWith("250", await SendAsync(Good, "x@forge.test", to, message));

        var raw = await SingleRawAsync(user);
        var fields = Regex.Matches(raw, @"^Authentication-Results:[^\r\n]*", RegexOptions.Multiline).Select(m => m.Value).ToList();
        Assert.Equal(2, fields.Count);
        Assert.StartsWith("Authentication-Results: mx.inbound.test;", fields[0]);
        Assert.Equal("Authentication-Results: other.example; spf=pass smtp.mailfrom=forge.test", fields[1]);
        Assert.DoesNotContain("bank.example", raw);
        Assert.Contains("spf=fail smtp.mailfrom=x@forge.test", ResultsField(raw));
        var expected = Encoding.Latin1.GetString(message).Replace(headers, "Authentication-Results: other.example; spf=pass smtp.mailfrom=forge.test\r\n", StringComparison.Ordinal);
        Assert.EndsWith(expected, raw);
    }

    [Fact]
    public async Task AMessageClaimingAHostedDomainThatNothingAuthenticatesIsRefused()
    {
        var (to, user) = await ApiUsers.CreateAsync(host);

        var reply = await SendAsync(Bad, "ceo@example.test", to, Message("ceo@example.test", to));

        Assert.StartsWith("550 5.7.1", reply);
        Assert.Contains("example.test", reply);
        Assert.Empty(await ApiUsers.ListAsync(user));
    }

    [Fact]
    public async Task TheApiShowsTheVerdict()
    {
        host.Dns.AddTxt("api.test", "v=spf1 ip4:127.0.0.7 -all").AddTxt("_dmarc.api.test", "v=DMARC1; p=none");
        host.PublishKey("sel", "api.test");
        var (to, user) = await ApiUsers.CreateAsync(host);
        var forged = "Authentication-Results: other.example; spf=fail; dkim=fail; dmarc=fail\r\n";
        var signed = await PythonDkim.SignAsync(Message("a@api.test", to, extraHeaders: forged), "sel", "api.test", host.KeyPem);
        Assert.StartsWith("250", await SendAsync(Good, "a@api.test", to, signed));

        var id = Assert.Single(await ApiUsers.ListAsync(user)).GetProperty("id").GetString();
        var detail = await user.GetFromJsonAsync<JsonElement>($"/v1/emails/{id}");

        var auth = detail.GetProperty("auth");
        Assert.Equal("pass", auth.GetProperty("spf").GetString());
        Assert.Equal("pass", auth.GetProperty("dkim").GetString());
        Assert.Equal("pass", auth.GetProperty("dmarc").GetString());
    }

    [Fact]
    public async Task AnArcChainSealedByAForwarderValidates()
    {
        host.PublishKey("arc", "forwarder.test");
        var (to, user) = await ApiUsers.CreateAsync(host);
        var original = Message("a@origin.test", to, extraHeaders: "Authentication-Results: forwarder.test; spf=pass smtp.mailfrom=a@origin.test\r\n");
        var sealedMessage = await PythonDkim.ArcSignAsync(original, "arc", "forwarder.test", host.KeyPem, "forwarder.test");
        Assert.Contains("ARC-Seal:", Encoding.Latin1.GetString(sealedMessage));

        Assert.StartsWith("250", await SendAsync(Good, "a@origin.test", to, sealedMessage));

        Assert.Contains("arc=pass", ResultsField(await SingleRawAsync(user)));
    }

    [Fact]
    public async Task ABrokenArcChainFails()
    {
        host.PublishKey("arc", "forwarder2.test");
        var (to, user) = await ApiUsers.CreateAsync(host);
        var original = Message("a@origin.test", to, extraHeaders: "Authentication-Results: forwarder2.test; spf=pass\r\n");
        var sealedMessage = Encoding.Latin1.GetString(await PythonDkim.ArcSignAsync(original, "arc", "forwarder2.test", host.KeyPem, "forwarder2.test"));
        var broken = Encoding.Latin1.GetBytes(sealedMessage.Replace("Subject: test", "Subject: changed", StringComparison.Ordinal));

        Assert.StartsWith("250", await SendAsync(Good, "a@origin.test", to, broken));

        Assert.Contains("arc=fail", ResultsField(await SingleRawAsync(user)));
    }

    private Task<string> SendAsync(string source, string from, string to, byte[] message) =>
        BoundSmtpSender.SendAsync(host.SmtpPort, source, Helo, from, to, message);

    private static byte[] Message(string from, string to, string subject = "test", string body = "Hello.\r\n", string extraHeaders = "") =>
        Encoding.ASCII.GetBytes(
            extraHeaders +
            $"From: <{from}>\r\nTo: <{to}>\r\nSubject: {subject}\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\n" +
            $"Message-ID: <{Guid.NewGuid():N}@test>\r\n\r\n{body}");

    private static async Task<string> SingleRawAsync(HttpClient user, string folder = "INBOX")
    {
        var item = Assert.Single(await ApiUsers.ListAsync(user, folder));
        return Encoding.Latin1.GetString(await user.GetByteArrayAsync($"/v1/emails/{item.GetProperty("id").GetString()}/raw"));
    }

    private static async Task<string[]> AllRawAsync(HttpClient user)
    {
        var items = await ApiUsers.ListAsync(user);
        var raws = new List<string>();
        foreach (var item in items) raws.Add(Encoding.Latin1.GetString(await user.GetByteArrayAsync($"/v1/emails/{item.GetProperty("id").GetString()}/raw")));
        return [.. raws];
    }

    /// <summary>Our results field: the first field of the stored message, unfolded.</summary>
    private static string ResultsField(string raw)
    {
        var match = Regex.Match(raw, @"\AAuthentication-Results: mx\.inbound\.test;(\r\n\t[^\r\n]+)+\r\n");
        Assert.True(match.Success, "the stored message does not start with our results field:\n" + raw[..Math.Min(raw.Length, 600)]);
        return match.Value.Replace("\r\n\t", " ", StringComparison.Ordinal);
    }
}
