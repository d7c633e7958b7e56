using Mail.Grains.Delivery.Sieve;
using MimeKit;

namespace Mail.Protocol.Tests.Sieve;

/// <summary>The Sieve lexer, parser, validator and interpreter without I/O: errors with positions, match types, actions.</summary>
public sealed class SieveCompilerTests
{
    [Theory]
    [InlineData("keep", 1, 5, "expected ';'")]
    [InlineData("if true { keep; ", 1, 17, "expected '}'")]
    [InlineData("frobnicate;", 1, 1, "unknown command 'frobnicate'")]
    [InlineData("if frob { keep; }", 1, 4, "unknown test 'frob'")]
    [InlineData("require \"fileinto\";\nkeep;\nrequire \"reject\";", 3, 1, "require must come before")]
    [InlineData("fileinto \"x\";", 1, 1, "needs require \"fileinto\"")]
    [InlineData("require \"variables\";", 1, 9, "unsupported extension")]
    [InlineData("if header :is :contains \"a\" \"b\" { keep; }", 1, 15, "conflicts")]
    [InlineData("if size 10 { keep; }", 1, 4, "needs :over or :under")]
    [InlineData("if header :comparator \"i;ascii-numeric\" \"a\" \"b\" { keep; }", 1, 23, "not supported")]
    [InlineData("else { keep; }", 1, 1, "must follow if")]
    [InlineData("redirect \"not an address\";", 1, 10, "not an e-mail address")]
    [InlineData("keep;\n/* never closed", 2, 1, "unterminated /* comment")]
    [InlineData("if header \"a\" text:\nline\n", 1, 15, "unterminated text:")]
    [InlineData("require \"imap4flags\";\nkeep :flags;", 2, 6, ":flags needs a string")]
    public void ErrorsNameTheirLineAndColumn(string script, int line, int column, string reason)
    {
        var error = Assert.Throws<SieveException>(() => SieveCompiler.Compile(script));
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(reason, error.Reason);
    }

    [Theory]
    [InlineData("is", "i;ascii-casemap", "Hello", "hELLO", true)]
    [InlineData("is", "i;octet", "Hello", "hello", false)]
    [InlineData("contains", "i;ascii-casemap", "Big Invoice", "INVOICE", true)]
    [InlineData("matches", "i;ascii-casemap", "weekly report 3", "weekly ?eport*", true)]
    [InlineData("matches", "i;ascii-casemap", "a*b", "a\\*b", true)]
    [InlineData("matches", "i;ascii-casemap", "axb", "a\\*b", false)]
    [InlineData("matches", "i;octet", "", "*", true)]
    [InlineData("matches", "i;octet", "abc", "?", false)]
    public void MatchTypesAndComparatorsFollowRfc5228(string matchType, string comparator, string value, string key, bool expected) =>
        Assert.Equal(expected, SieveMatcher.Match(matchType, comparator, value, key));

    [Fact]
    public void MatchesStaysLinearOnHostilePatterns()
    {
        var value = new string('a', 5000);
        var pattern = string.Concat(Enumerable.Repeat("*a", 200)) + "b";
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(SieveMatcher.Match("matches", "i;octet", value, pattern));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void MultiLineStringsAreDotUnstuffedAndCommentsSkipped()
    {
        var script = SieveCompiler.Compile("require \"vacation\"; # reply\nvacation :days 3 text:\n..dotted\nsecond\n.\n;");
        var vacation = Run(script, Message("a@x.example", "hi")).Vacation!;
        Assert.Equal(".dotted\r\nsecond\r\n", vacation.Reason);
        Assert.Equal(3, vacation.Days);
    }

    [Fact]
    public void FileintoCancelsImplicitKeepCopyKeepsItAndFlagsFollowTheInternalVariable()
    {
        var script = SieveCompiler.Compile("""
            require ["fileinto", "copy", "imap4flags"];
            addflag ["\\Seen", "work"];
            fileinto :copy "A";
            removeflag "\\Seen";
            fileinto :flags "\\Flagged" "B";
            """);
        var outcome = Run(script, Message("a@x.example", "hi"));
        Assert.Equal(["A", "B"], outcome.Filings.Select(f => f.Folder));
        Assert.Equal(["\\Seen", "work"], outcome.Filings[0].Flags);
        Assert.Equal(["\\Flagged"], outcome.Filings[1].Flags);
    }

    [Fact]
    public void RejectBesideFileintoIsARuntimeErrorThatKeeps()
    {
        var script = SieveCompiler.Compile("require [\"reject\", \"fileinto\"]; fileinto \"A\"; reject \"no\";");
        var outcome = Run(script, Message("a@x.example", "hi"));
        Assert.Null(outcome.Reject);
        Assert.Null(Assert.Single(outcome.Filings).Folder);
        Assert.NotEmpty(outcome.Errors);
    }

    [Fact]
    public void MoreRedirectsThanAllowedKeepTheMessage()
    {
        var script = SieveCompiler.Compile(string.Concat(Enumerable.Range(0, 5).Select(i => $"redirect \"r{i}@x.example\";")));
        var outcome = Run(script, Message("a@x.example", "hi"));
        Assert.Empty(outcome.Redirects);
        Assert.Null(Assert.Single(outcome.Filings).Folder);
    }

    [Fact]
    public void AddressPartsAndEnvelopeAndBodyTestsSeeTheMessage()
    {
        var script = SieveCompiler.Compile("""
            require ["envelope", "body", "fileinto"];
            if address :localpart :is "from" "alice" { fileinto "local"; }
            if address :domain :is "to" "Example.TEST" { fileinto "domain"; }
            if envelope :all :is "from" "bounce@y.example" { fileinto "envelope"; }
            if body :contains "secret word" { fileinto "body"; }
            if not exists "X-Missing" { fileinto "missing"; }
            if size :under 100 { fileinto "small"; }
            """);
        var outcome = Run(script, Message("Alice <alice@x.example>", "the SECRET word is here"));
        Assert.Equal(["local", "domain", "envelope", "body", "missing"], outcome.Filings.Select(f => f.Folder));
    }

    [Theory]
    [InlineData("2026-11-30T12:00:00+00:00", false)]
    [InlineData("2026-12-01T00:00:00+00:00", true)]
    [InlineData("2026-12-24T23:59:00+00:00", true)]
    [InlineData("2026-12-25T00:30:00+00:00", false)]
    [InlineData("2026-12-24T23:30:00-01:00", false)]
    public void CurrentdateWithValueRelationsBoundsAVacation(string now, bool replies)
    {
        // The webmail's vacation block (RFC 5260 currentdate, RFC 5231 :value) with a start and an end date, in UTC.
        var script = SieveCompiler.Compile("""
            require ["vacation", "date", "relational"];
            if allof (currentdate :value "ge" "date" "2026-12-01", currentdate :value "le" "date" "2026-12-24") {
              vacation :subject "Away" "Back in January.";
            }
            """);
        var outcome = new SieveInterpreter(new SieveMessage("a@x.example", "bob@example.test", 100, Message("a@x.example", "hi"), "hi"),
            new SieveLimits(), DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)).Run(script);
        Assert.Equal(replies, outcome.Vacation is not null);
    }

    [Fact]
    public void DateTestAndCountSeeTheMessage()
    {
        var script = SieveCompiler.Compile("""
            require ["date", "relational", "fileinto"];
            if date :zone "+0000" :is "date" "date" "2026-03-01" { fileinto "zoned"; }
            if date :originalzone :value "eq" "date" "hour" "23" { fileinto "original"; }
            if date :is "Date" "weekday" "0" { fileinto "sunday"; }
            if address :count "ge" "to" "1" { fileinto "counted"; }
            if header :count "gt" "X-Missing" "0" { fileinto "never"; }
            if currentdate :zone "+0200" :is "year" "2026" { fileinto "year"; }
            """);
        var message = Message("a@x.example", "hi");
        message.Headers.Replace("Date", "Sat, 28 Feb 2026 23:30:00 -0100");
        var outcome = new SieveInterpreter(new SieveMessage("a@x.example", "bob@example.test", 100, message, "hi"),
            new SieveLimits(), new DateTimeOffset(2026, 12, 31, 23, 0, 0, TimeSpan.Zero)).Run(script);
        Assert.Equal(["zoned", "original", "sunday", "counted"], outcome.Filings.Select(f => f.Folder).Where(f => f is not null));
    }

    [Theory]
    [InlineData("require \"date\";\nif currentdate :value \"ge\" \"date\" \"x\" { keep; }", 2, 16, "needs require \"relational\"")]
    [InlineData("require [\"date\", \"relational\"];\nif currentdate :value \"bigger\" \"date\" \"x\" { keep; }", 2, 23, "not a relation")]
    [InlineData("require \"date\";\nif currentdate \"fortnight\" \"x\" { keep; }", 2, 16, "not a date part")]
    [InlineData("require \"date\";\nif currentdate :zone \"CET\" \"date\" \"x\" { keep; }", 2, 22, "not a time zone")]
    public void DateAndRelationalErrorsAreFoundAtUpload(string script, int line, int column, string reason)
    {
        var error = Assert.Throws<SieveException>(() => SieveCompiler.Compile(script));
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(reason, error.Reason);
    }

    private static SieveOutcome Run(SieveScript script, MimeMessage message) =>
        new SieveInterpreter(new SieveMessage("bounce@y.example", "bob@example.test", 10_000, message, message.TextBody ?? ""), new SieveLimits()).Run(script);

    private static MimeMessage Message(string from, string text)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse("bob@example.test"));
        message.Subject = "test";
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }
}
