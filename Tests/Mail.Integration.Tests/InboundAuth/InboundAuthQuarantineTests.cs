namespace Mail.Integration.Tests.InboundAuth;

/// <summary>DMARC reject honoured as Junk when the operator sets <c>Mail:Smtp:InboundAuth:DmarcRejectAction=quarantine</c>.</summary>
public sealed class InboundAuthQuarantineTests(InboundAuthQuarantineHostFixture host) : IClassFixture<InboundAuthQuarantineHostFixture>
{
    [Fact]
    public async Task DmarcRejectIsFiledInJunkWhenConfiguredSo()
    {
        host.Dns.AddTxt("reject.test", "v=spf1 -all").AddTxt("_dmarc.reject.test", "v=DMARC1; p=reject");
        var (to, user) = await ApiUsers.CreateAsync(host);
        var message = System.Text.Encoding.ASCII.GetBytes($"From: <x@reject.test>\r\nTo: <{to}>\r\nSubject: q\r\n\r\nHello.\r\n");

        var reply = await BoundSmtpSender.SendAsync(host.SmtpPort, InboundAuthHostFixture.GoodClient, InboundAuthHostFixture.Helo, "x@reject.test", to, message);

        Assert.StartsWith("250", reply);
        Assert.Empty(await ApiUsers.ListAsync(user));
        Assert.Single(await ApiUsers.ListAsync(user, "Junk"));
    }
}
