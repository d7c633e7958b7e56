using Mail.Grains.Search.Postgres;
using Mail.Grains.Search.Query;

namespace Mail.Protocol.Tests.Search;

/// <summary>Search statements carry their values as SQL literals: quoting must hold whatever the user typed.</summary>
public sealed class PostgresLiteralTests
{
    [Theory]
    [InlineData("o'brien", "E'o''brien'")]
    [InlineData(@"\Seen", @"E'\\Seen'")]
    [InlineData(@"a\'; DROP TABLE x; --", @"E'a\\''; DROP TABLE x; --'")]
    [InlineData("nul\0byte", "E'nulbyte'")]
    public void TextIsAnEscapeStringWithQuotesAndBackslashesDoubled(string value, string literal) =>
        Assert.Equal(literal, PostgresLiteral.Of(value));

    [Fact]
    public void NumbersDatesAndArraysAreWrittenInvariantly()
    {
        Assert.Equal("51", PostgresLiteral.Of(51));
        Assert.Equal("-7", PostgresLiteral.Of(-7L));
        Assert.Equal("E'2024-01-31T00:00:00.000000Z'::timestamptz", PostgresLiteral.Of(new DateTime(2024, 1, 31, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(@"ARRAY[E'\\Seen', E'it''s']::text[]", PostgresLiteral.Of(new[] { @"\Seen", "it's" }));
        Assert.Equal("'{3,-1,9000000000}'::bigint[]", PostgresLiteral.Of(new[] { 3L, -1L, 9_000_000_000L }));
        Assert.Equal("0.02", PostgresLiteral.Of(0.02));
    }

    [Fact]
    public void RequiredTermsAreTheIndexedPositiveTopLevelOnesAndTheRestLeavesThemOut()
    {
        var query = SearchQueryParser.Parse("from:alice \"budget review\" -scan filename:pdf label:Work (cc:bob OR tax)");
        var required = PostgresQueryCompiler.CompileRequired(query, DateTimeOffset.UnixEpoch)!;
        Assert.Equal(["budget review"], required.WordTexts);
        Assert.False(required.WordsOnly);
        Assert.Contains("d.from_text LIKE", required.Condition.Where);
        Assert.Contains("d.filenames LIKE", required.Condition.Where);
        Assert.DoesNotContain("cc_text", required.Condition.Where);
        Assert.DoesNotContain("labels", required.Condition.Where);

        var rest = PostgresQueryCompiler.Compile(query, DateTimeOffset.UnixEpoch, withoutRequired: true);
        Assert.DoesNotContain("from_text", rest.Where);
        Assert.DoesNotContain("filenames", rest.Where);
        Assert.Contains("NOT d.tsv", rest.Where);
        Assert.Contains("d.cc_text LIKE", rest.Where);
        Assert.Contains("unnest(m.labels)", rest.Where);
        Assert.Contains("special_use IN", rest.Where);

        Assert.Null(PostgresQueryCompiler.CompileRequired(SearchQueryParser.Parse("label:work is:unread -budget"), DateTimeOffset.UnixEpoch));
        Assert.True(PostgresQueryCompiler.CompileRequired(SearchQueryParser.Parse("budget review"), DateTimeOffset.UnixEpoch)!.WordsOnly);
    }

    [Fact]
    public void InliningReplacesNamesButLeavesOperatorsAndThrowsOnUnknownNames()
    {
        var values = new Dictionary<string, object> { ["a"] = "acct", ["p0"] = "x@y", ["p10"] = 3 };
        Assert.Equal("d.tsv @@ q AND m.flags @> E'x@y' AND a = E'acct' AND n = 3",
            PostgresLiteral.Inline("d.tsv @@ q AND m.flags @> @p0 AND a = @a AND n = @p10", values));
        Assert.Throws<InvalidOperationException>(() => PostgresLiteral.Inline("x = @p1", values));
    }

    [Fact]
    public void ACompiledQueryInlinesEveryValueItUses()
    {
        var compiled = PostgresQueryCompiler.Compile(SearchQueryParser.Parse("from:o'hara \"budget review\" label:Work is:unread"), DateTimeOffset.UnixEpoch);
        var sql = compiled.Inline("SELECT 1 FROM d WHERE d.account_id = @a AND " + compiled.Where, new Dictionary<string, object> { ["a"] = "acct", ["lang"] = "english" });
        Assert.DoesNotMatch(@"(?<!@)@[A-Za-z]", sql);
        Assert.Contains("LIKE E'%o''hara%'", sql);
        Assert.Contains("phraseto_tsquery(E'english'::regconfig, E'budget review')", sql);
        Assert.Contains("lower(l) = E'work'", sql);
    }
}
