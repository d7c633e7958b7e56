using Mail.Grains.Search.Azure;
using Mail.Grains.Search.Query;

namespace Mail.Protocol.Tests.Search;

/// <summary>The Azure AI Search adapter's translation of queries to OData filters and search options, checked without the service.</summary>
public sealed class AzureQueryTranslatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static (string Filter, string SearchText) Translate(string query, string account = "acct-1") =>
        AzureQueryTranslator.Translate(account, SearchQueryParser.Parse(query), Now);

    [Fact]
    public void EveryFilterIsScopedToTheAccountWithItsQuoteEscaped() =>
        Assert.StartsWith("AccountId eq 'o''brien' and ", Translate("x", "o'brien").Filter);

    [Fact]
    public void OperatorsBecomeODataAndSearchIsMatch()
    {
        var (filter, text) = Translate("from:alice \"blue whale\" -is:unread label:Work larger:1M after:2024/01/31 has:attachment");
        Assert.Equal(
            "AccountId eq 'acct-1' and (search.ismatch('alice', 'From', 'full', 'all') and "
            + "search.ismatch('\"blue whale\"', 'Subject,Body,From,To,Cc,AttachmentNames', 'full', 'all') and "
            + "not not Flags/any(f: f eq '\\Seen') and Labels/any(l: l eq 'work') and Size gt 1048576 and "
            + "InternalDate ge 2024-01-31T00:00:00Z and HasAttachments eq true) and Folder ne 'trash' and Folder ne 'junk'",
            filter);
        Assert.Equal("\"blue whale\"", text);
    }

    [Fact]
    public void OrBracesAndNegatedWordsTranslate()
    {
        var (filter, text) = Translate("{lunch dinner} -budget older_than:2d");
        Assert.Contains("(search.ismatch('lunch', 'Subject,Body,From,To,Cc,AttachmentNames', 'full', 'all') or search.ismatch('dinner',", filter);
        Assert.Contains("not search.ismatch('budget'", filter);
        Assert.Contains("InternalDate lt 2026-11-28T12:00:00Z", filter);
        Assert.Equal("lunch dinner", text);
    }

    [Fact]
    public void LuceneSpecialCharactersAreEscaped()
    {
        var (filter, _) = Translate("filename:report[1]~.pdf subject:a+b");
        Assert.Contains("search.ismatch('report\\[1\\]\\~.pdf', 'AttachmentNames', 'full', 'all')", filter);
        Assert.Contains("search.ismatch('a\\+b', 'Subject', 'full', 'all')", filter);
    }

    [Fact]
    public void FoldersAreSearchedOnlyWhenNamed()
    {
        Assert.EndsWith("(Folder eq 'junk' and search.ismatch('x', 'Subject,Body,From,To,Cc,AttachmentNames', 'full', 'all'))", Translate("in:spam x").Filter);
        Assert.DoesNotContain("Folder", Translate("in:anywhere x").Filter.Replace("Folder eq", ""));
    }

    [Fact]
    public void NewestFirstOrdersByDateAndRelevanceHighlights()
    {
        var query = SearchQueryParser.Parse("harbour report is:unread");
        var (newestText, newest) = AzureSearchEngine.Request("a", query, Now, 20, 10, relevance: false);
        Assert.Equal("*", newestText);
        Assert.Equal(["InternalDate desc"], newest.OrderBy);
        Assert.Equal(20, newest.Skip);
        Assert.Equal(10, newest.Size);
        Assert.NotEqual(true, newest.IncludeTotalCount); // counted only when the caller asks (count=true)

        var (rankedText, ranked) = AzureSearchEngine.Request("a", query, Now, 0, 10, relevance: true);
        Assert.Equal("harbour report", rankedText);
        Assert.Empty(ranked.OrderBy);
        Assert.Equal(["Subject", "Body"], ranked.HighlightFields);
    }

    [Fact]
    public void IndexDefinitionHasAFilterableAccountAndAKey()
    {
        var index = AzureSearchEngine.Definition("mail");
        Assert.True(index.Fields.Single(f => f.Name == "Id").IsKey);
        Assert.True(index.Fields.Single(f => f.Name == "AccountId").IsFilterable);
        Assert.True(index.Fields.Single(f => f.Name == "Body").IsSearchable);
        Assert.Equal("YWNjdC0x_42", AzureMailDocument.Key("acct-1", 42));
    }
}
