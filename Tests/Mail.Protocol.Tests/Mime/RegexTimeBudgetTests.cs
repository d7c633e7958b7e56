using System.Diagnostics;
using System.Text;
using Mail.Frontends.Imap.Commands;
using Mail.Grains.Outbound.Bounces;
using Mail.Mime;

namespace Mail.Protocol.Tests.Mime;

/// <summary>
/// Every regular expression over untrusted text (a sender's HTML, a remote server's reply, a client's LIST pattern) is
/// non-backtracking or bounded by a timeout: pathological inputs that make a backtracking engine quadratic or
/// exponential finish at once.
/// </summary>
public sealed class RegexTimeBudgetTests
{
    /// <summary>
    /// Not a speed target: it only tells linear matching from the minutes a backtracking engine takes on these
    /// inputs, with room for a machine busy with other test assemblies. Each test warms the expression up first,
    /// so the engine's construction and JIT are not timed.
    /// </summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    [Fact]
    public void PreviewOfPathologicalHtmlIsQuick()
    {
        var html = new StringBuilder();
        for (var i = 0; i < 5000; i++) html.Append("<script a");
        html.Append(new string('<', 12000));
        var message = "From: a@b.example\r\nContent-Type: text/html\r\n\r\n" + html + "\r\n";

        MessageSummaryReader.Read("From: a@b.example\r\nContent-Type: text/html\r\n\r\n<p>warm</p>\r\n"u8.ToArray());
        var watch = Stopwatch.StartNew();
        var summary = MessageSummaryReader.Read(Encoding.ASCII.GetBytes(message));

        Assert.True(watch.Elapsed < Budget, $"took {watch.Elapsed}");
        Assert.NotNull(summary.Preview);
    }

    [Fact]
    public void PreviewStillDropsScriptsStylesAndTags()
    {
        var message = "Content-Type: text/html\r\n\r\n<p>Hello <SCRIPT type=x>alert(1)</script><style>p{}</STYLE><b>world</b></p>\r\n";

        Assert.Equal("Hello world", MessageSummaryReader.Read(Encoding.ASCII.GetBytes(message)).Preview);
    }

    [Fact]
    public void EnhancedCodeOfPathologicalReplyIsQuick()
    {
        var reply = "550 " + new string(' ', 60000) + "x";

        DeliveryStatusCodes.FromReply(550, "550 5.1.1 warm");
        var watch = Stopwatch.StartNew();
        var status = DeliveryStatusCodes.FromReply(550, reply);

        Assert.True(watch.Elapsed < Budget, $"took {watch.Elapsed}");
        Assert.Equal("5.0.0", status);
    }

    [Fact]
    public void ListPatternWithManyWildcardsIsQuick()
    {
        var matcher = ListHandler.Matcher(string.Concat(Enumerable.Repeat("*a", 30)) + "%b");
        var name = new string('a', 5000);

        matcher.IsMatch("ab");
        var watch = Stopwatch.StartNew();
        var matched = matcher.IsMatch(name);

        Assert.True(watch.Elapsed < Budget, $"took {watch.Elapsed}");
        Assert.False(matched);
    }
}
