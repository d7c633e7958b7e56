using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Mailboxes;

namespace Mail.Protocol.Tests.Sieve;

/// <summary>The label ↔ IMAP keyword mapping: atoms as they are, everything else &amp;XX-encoded, '$' keywords are not labels.</summary>
public sealed class LabelKeywordTests
{
    [Theory]
    [InlineData("Work", "Work")]
    [InlineData("My label", "My&20label")]
    [InlineData("100% & more", "100&25&20&26&20more")]
    [InlineData("Été", "&C3&89t&C3&A9")]
    [InlineData("a(b)*\"c\\]", "a&28b&29&2A&22c&5C&5D")]
    [InlineData("Trips/2026", "Trips/2026")]
    public void LabelsBecomeAtomKeywordsAndBack(string label, string keyword)
    {
        Assert.Equal(keyword, LabelKeyword.ToKeyword(label));
        Assert.Equal(label, LabelKeyword.ToLabel(keyword));
    }

    [Fact]
    public void SystemFlagsAndDollarKeywordsAreNotLabels()
    {
        Assert.Equal(["Work", "x y"], LabelKeyword.LabelsOf(["\\Seen", "$Forwarded", "Work", "x&20y"]));
        Assert.Equal(MailErrorCode.Invalid, Assert.Throws<MailException>(() => LabelKeyword.ToKeyword("$Junk")).Code);
    }

    [Fact]
    public void AKeywordThatMerelyLooksEncodedStaysAsItIs() => Assert.Equal("&FF", LabelKeyword.ToLabel("&FF"));
}
