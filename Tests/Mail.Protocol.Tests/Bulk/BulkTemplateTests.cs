using Mail.Grains.Reputation.Bulk;

namespace Mail.Protocol.Tests.Bulk;

public class BulkTemplateTests
{
    private static readonly Dictionary<string, string> Vars = new()
    {
        ["name"] = "Ann <b>&</b> \"Bo\" 'C'",
        ["code"] = "X-1",
        ["evil"] = "hi\r\nBcc: victim@example.test",
    };

    [Fact]
    public void PlaceholdersAreReplacedWithSpacesAllowedAndUnknownNamesRenderEmpty()
    {
        var template = BulkTemplate.Parse("Hello {{name}}, code {{ code }}, missing [{{nobody}}].");

        Assert.Equal("Hello Ann <b>&</b> \"Bo\" 'C', code X-1, missing [].", template.Render(Vars, TemplateEscaping.None));
        Assert.Equal(["name", "code", "nobody"], template.Names);
    }

    [Fact]
    public void HtmlBodiesGetEscapedValuesButKeepTheirOwnMarkup()
    {
        var template = BulkTemplate.Parse("<p title=\"{{name}}\">Hi {{name}}</p>");

        Assert.Equal("<p title=\"Ann &lt;b&gt;&amp;&lt;/b&gt; &quot;Bo&quot; &#39;C&#39;\">Hi Ann &lt;b&gt;&amp;&lt;/b&gt; &quot;Bo&quot; &#39;C&#39;</p>",
            template.Render(Vars, TemplateEscaping.Html));
    }

    [Fact]
    public void ASubjectValueCannotBreakTheHeaderLine()
    {
        Assert.Equal("Re: hi  Bcc: victim@example.test", BulkTemplate.Parse("Re: {{evil}}").Render(Vars, TemplateEscaping.HeaderText));
    }

    [Theory]
    [InlineData("no placeholders at all")]
    [InlineData("{{ not a name }} and {{}} and {{a\"b}} stay")]
    [InlineData("unclosed {{name")]
    [InlineData("}} {{ ")]
    public void BracesThatAreNoPlaceholderStayAsTheyAre(string text)
    {
        Assert.Equal(text, BulkTemplate.Parse(text).Render(Vars, TemplateEscaping.None));
    }

    [Fact]
    public void AdjacentAndRepeatedPlaceholders()
    {
        Assert.Equal("X-1X-1{X-1}", BulkTemplate.Parse("{{code}}{{code}}{{{code}}}").Render(Vars, TemplateEscaping.None));
    }
}
