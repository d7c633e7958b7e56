using Mail.Grains.Search.Query;

namespace Mail.Protocol.Tests.Search;

/// <summary>The Gmail query language: what each form parses to, and where a malformed query is refused.</summary>
public sealed class SearchQueryParserTests
{
    [Fact]
    public void FreeWordsAreAllRequired()
    {
        var node = Assert.IsType<AndNode>(SearchQueryParser.Parse("quarterly report"));
        Assert.Equal([new TextNode(TextField.Any, "quarterly", false), new TextNode(TextField.Any, "report", false)], node.Children);
    }

    [Fact]
    public void QuotedPhraseIsOnePhraseTerm() =>
        Assert.Equal(new TextNode(TextField.Any, "board meeting", true), SearchQueryParser.Parse("\"board meeting\""));

    [Fact]
    public void OperatorsTakeWordsAndPhrases()
    {
        var node = Assert.IsType<AndNode>(SearchQueryParser.Parse("from:alice@example.com subject:\"q3 plan\" filename:pdf"));
        Assert.Equal(new TextNode(TextField.From, "alice@example.com", false), node.Children[0]);
        Assert.Equal(new TextNode(TextField.Subject, "q3 plan", true), node.Children[1]);
        Assert.Equal(new TextNode(TextField.Filename, "pdf", false), node.Children[2]);
    }

    [Fact]
    public void OperatorNamesAreCaseInsensitive() =>
        Assert.Equal(new TextNode(TextField.To, "bob", false), SearchQueryParser.Parse("TO:bob"));

    [Fact]
    public void DashNegatesATermButNotAHyphenatedWord()
    {
        var node = Assert.IsType<AndNode>(SearchQueryParser.Parse("e-mail -from:bob"));
        Assert.Equal(new TextNode(TextField.Any, "e-mail", false), node.Children[0]);
        Assert.Equal(new NotNode(new TextNode(TextField.From, "bob", false)), node.Children[1]);
    }

    [Fact]
    public void OrBindsTheTermsNextToItAsInGmail()
    {
        var node = Assert.IsType<AndNode>(SearchQueryParser.Parse("invoice from:alice OR from:bob"));
        Assert.Equal(new TextNode(TextField.Any, "invoice", false), node.Children[0]);
        var or = Assert.IsType<OrNode>(node.Children[1]);
        Assert.Equal([new TextNode(TextField.From, "alice", false), new TextNode(TextField.From, "bob", false)], or.Children);
    }

    [Fact]
    public void BracesMeanAnyOf()
    {
        var or = Assert.IsType<OrNode>(SearchQueryParser.Parse("{alpha beta gamma}"));
        Assert.Equal(3, or.Children.Count);
    }

    [Fact]
    public void AnOperatorAppliesToItsGroup()
    {
        var or = Assert.IsType<OrNode>(SearchQueryParser.Parse("from:(alice OR bob)"));
        Assert.All(or.Children, c => Assert.Equal(TextField.From, Assert.IsType<TextNode>(c).Field));
        var and = Assert.IsType<AndNode>(SearchQueryParser.Parse("subject:(weekly notes)"));
        Assert.All(and.Children, c => Assert.Equal(TextField.Subject, Assert.IsType<TextNode>(c).Field));
    }

    [Fact]
    public void ParenthesesGroupNegation()
    {
        var not = Assert.IsType<NotNode>(SearchQueryParser.Parse("-(label:work is:unread)"));
        var and = Assert.IsType<AndNode>(not.Child);
        Assert.Equal([new LabelNode("work"), new StateNode(MessageState.Unread)], and.Children);
    }

    [Theory]
    [InlineData("is:unread", MessageState.Unread)]
    [InlineData("is:read", MessageState.Read)]
    [InlineData("is:starred", MessageState.Starred)]
    [InlineData("is:important", MessageState.Important)]
    [InlineData("has:attachment", MessageState.HasAttachment)]
    public void StatesParse(string query, MessageState state) => Assert.Equal(new StateNode(state), SearchQueryParser.Parse(query));

    [Fact]
    public void SizesUseBinaryUnits()
    {
        Assert.Equal(new SizeNode(10L << 20, true), SearchQueryParser.Parse("larger:10M"));
        Assert.Equal(new SizeNode(500L << 10, false), SearchQueryParser.Parse("smaller:500K"));
        Assert.Equal(new SizeNode(1234, true), SearchQueryParser.Parse("larger:1234"));
    }

    [Fact]
    public void DatesAreMidnightUtcAndAgesResolveWhenRun()
    {
        var after = Assert.IsType<DateNode>(SearchQueryParser.Parse("after:2024/01/31"));
        Assert.True(after.After);
        Assert.Equal(new DateTimeOffset(2024, 1, 31, 0, 0, 0, TimeSpan.Zero), after.Bound.Resolve(DateTimeOffset.UnixEpoch));
        var before = Assert.IsType<DateNode>(SearchQueryParser.Parse("before:2024-02-01"));
        Assert.False(before.After);
        var older = Assert.IsType<DateNode>(SearchQueryParser.Parse("older_than:2d"));
        var now = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(now.AddDays(-2), older.Bound.Resolve(now));
        Assert.False(older.After);
        Assert.True(Assert.IsType<DateNode>(SearchQueryParser.Parse("newer_than:1y")).After);
    }

    [Fact]
    public void FolderLabelAndMessageId()
    {
        Assert.Equal(new FolderNode("Sent"), SearchQueryParser.Parse("in:Sent"));
        Assert.Equal(new FolderNode(null), SearchQueryParser.Parse("in:anywhere"));
        Assert.Equal(new LabelNode("Project X"), SearchQueryParser.Parse("label:\"Project X\""));
        Assert.Equal(new MessageIdNode("abc@host"), SearchQueryParser.Parse("rfc822msgid:<abc@host>"));
        Assert.Equal(new TextNode(TextField.DeliveredTo, "me@x.test", false), SearchQueryParser.Parse("deliveredto:me@x.test"));
        Assert.Equal(new TextNode(TextField.List, "dev.lists.test", false), SearchQueryParser.Parse("list:dev.lists.test"));
        Assert.Equal(new TextNode(TextField.Bcc, "c", false), SearchQueryParser.Parse("bcc:c"));
        Assert.Equal(new TextNode(TextField.Cc, "d", false), SearchQueryParser.Parse("cc:d"));
    }

    [Fact]
    public void AnUnknownPrefixIsAPlainWord() =>
        Assert.Equal(new TextNode(TextField.Any, "meet:10:30", false), SearchQueryParser.Parse("meet:10:30"));

    [Theory]
    [InlineData("", "empty", 1)]
    [InlineData("   ", "empty", 1)]
    [InlineData("hello \"world", "Unterminated quoted phrase", 7)]
    [InlineData("(a b", "never closed", 1)]
    [InlineData("a b)", "Unexpected ')'", 4)]
    [InlineData("{a b", "never closed", 1)]
    [InlineData("()", "Empty '()'", 1)]
    [InlineData("OR a", "OR needs a term before it", 1)]
    [InlineData("a OR", "OR needs a term after it", 3)]
    [InlineData("a OR OR b", "OR needs a term after it", 3)]
    [InlineData("a -", "needs a term right after it", 3)]
    [InlineData("a - b", "needs a term right after it", 3)]
    [InlineData("from:", "needs a value", 1)]
    [InlineData("x from: alice", "needs a value", 3)]
    [InlineData("is:sleepy", "Unknown 'is:sleepy'", 4)]
    [InlineData("has:drive", "Unknown 'has:drive'", 5)]
    [InlineData("larger:ten", "not a size", 8)]
    [InlineData("after:2024/13/45", "not a date", 7)]
    [InlineData("older_than:5x", "not an age", 12)]
    [InlineData("from:(to:bob)", "cannot be used inside", 7)]
    [InlineData("\"\"", "Empty phrase", 1)]
    public void MalformedQueriesSayWhatAndWhere(string query, string reason, int position)
    {
        var error = Assert.Throws<SearchQueryException>(() => SearchQueryParser.Parse(query));
        Assert.Contains(reason, error.Message);
        Assert.Equal(position, error.Position);
        Assert.Contains($"position {position}", error.Message);
    }

    [Fact]
    public void TooManyTermsOrTooDeepIsRefused()
    {
        Assert.Contains("More than 3", Assert.Throws<SearchQueryException>(() => SearchQueryParser.Parse("a b c d", maxTerms: 3)).Message);
        Assert.Contains("Nested deeper", Assert.Throws<SearchQueryException>(() => SearchQueryParser.Parse(new string('(', 40) + "a" + new string(')', 40))).Message);
    }
}
