using Mail.Frontends.Imap.Protocol;

namespace Mail.Protocol.Tests.Imap;

/// <summary>The i;unicode-casemap comparator (RFC 5051 §2) behind I18NLEVEL=1 (RFC 5255 §4.1).</summary>
public sealed class UnicodeCasemapTests
{
    [Theory]
    [InlineData("Hello World", "WORLD")]
    [InlineData("R\u00e9union \ufb01nale", "R\u00c9UNION FINALE")] // precomposed É; the fi ligature decomposes (NFKD)
    [InlineData("Cafe\u0301", "CAF\u00c9")] // combining acute against the precomposed capital
    [InlineData("\u01c4", "\u01c5")] // DŽ and its title-case form
    [InlineData("\u01c6", "\u01c4")] // dž and DŽ
    [InlineData("\u03a3\u03bf\u03c6\u03af\u03b1", "\u03c3\u03bf\u03c6\u038a\u0391")] // Greek: ί against Ί
    [InlineData("\uff21\uff22\uff23", "abc")] // fullwidth letters are compatibility forms of ASCII
    [InlineData("a\u0323\u0301", "A\u0301\u0323")] // combining marks in canonical order (dot below 220 before acute 230)
    [InlineData("\ud55c\uae00", "\u1112\u1161\u11ab")] // a Hangul syllable against its jamo (Unicode §3.12)
    [InlineData("\U0001d400\U0001d401", "ab")] // mathematical bold letters (outside the BMP)
    public void TextsEqualUnderTheComparatorMatch(string text, string value) => Assert.True(UnicodeCasemap.Contains(text, value));

    [Theory]
    [InlineData("Reunion", "R\u00c9UNION")] // an accent is not dropped
    [InlineData("Stra\u00dfe", "STRASSE")] // simple mappings only: ß is not SS
    [InlineData("abc", "abd")]
    public void DifferentTextsDoNotMatch(string text, string value) => Assert.False(UnicodeCasemap.Contains(text, value));

    [Fact]
    public void AsciiUpperCaseIsItsOwnForm() => Assert.Same("SUBJECT 42", UnicodeCasemap.Fold("SUBJECT 42"));
}
