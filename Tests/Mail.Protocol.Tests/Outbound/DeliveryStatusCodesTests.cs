using Mail.Grains.Outbound.Bounces;

namespace Mail.Protocol.Tests.Outbound;

public class DeliveryStatusCodesTests
{
    [Theory]
    [InlineData(550, "5.1.1 <bob@remote.test>: user unknown", "5.1.1")]
    [InlineData(550, "550 5.7.1 blocked", "5.7.1")]
    [InlineData(550, "user unknown", "5.0.0")]
    [InlineData(452, "too many recipients", "4.0.0")]
    [InlineData(421, "4.7.0 try again later", "4.7.0")]
    [InlineData(550, "4.2.2 mailbox full", "5.0.0")]   // class disagrees with the reply: RFC 2034 §4, the reply wins
    [InlineData(250, null, "2.0.0")]
    [InlineData(554, "5.1.10 null MX", "5.1.10")]
    [InlineData(550, "5.1.1234 odd", "5.0.0")]
    public void ReplyMapsToEnhancedStatus(int code, string? text, string expected) =>
        Assert.Equal(expected, DeliveryStatusCodes.FromReply(code, text));

    [Theory]
    [InlineData(354)]
    [InlineData(600)]
    [InlineData(99)]
    public void NonFinalReplyCodesAreRejected(int code) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DeliveryStatusCodes.FromReply(code, "x"));

    [Fact]
    public void ConstantsAreValidRfc3463Codes()
    {
        string[] all = [DeliveryStatusCodes.NullMx, DeliveryStatusCodes.NoSuchDomain, DeliveryStatusCodes.Expired,
            DeliveryStatusCodes.MessageTooBig, DeliveryStatusCodes.TlsRequired, DeliveryStatusCodes.Cancelled];
        Assert.All(all, code => Assert.True(DeliveryStatusCodes.IsValid(code), code));
        Assert.Equal("4.4.7", DeliveryStatusCodes.Expired);
        Assert.False(DeliveryStatusCodes.IsValid("3.0.0"));
        Assert.False(DeliveryStatusCodes.IsValid("5.1"));
    }
}
