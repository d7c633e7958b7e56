using System.Text;
using Mail.Frontends.Imap.Protocol;

namespace Mail.Protocol.Tests.Imap;

/// <summary>NOTIFY (RFC 5465 §8) and CANCELUPDATE / RETURN (UPDATE) (RFC 5267 §4) as the parser reads them.</summary>
public sealed class NotifyParserTests
{
    private static ImapCommand Parse(string command)
    {
        Assert.True(ImapCommandParser.TryParse(Encoding.UTF8.GetBytes(command + "\r\n"), 8, out var parsed, out _, out var error), error);
        return parsed;
    }

    private static string Error(string command)
    {
        Assert.False(ImapCommandParser.TryParse(Encoding.UTF8.GetBytes(command + "\r\n"), 8, out _, out _, out var error));
        return error!;
    }

    [Fact]
    public void NotifySetReadsFiltersNamesEventsAndFetchAttributes()
    {
        var notify = Assert.IsType<NotifyCommand>(Parse(
            "n NOTIFY SET STATUS (SELECTED (MessageNew (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)]) MessageExpunge FlagChange)) " +
            "(SUBTREE (INBOX \"Lists/Work\") (MessageNew MessageExpunge MailboxName)) (MAILBOXES Sent NONE) (subscribed (subscriptionchange))"));
        Assert.False(notify.None);
        Assert.True(notify.Status);
        Assert.Equal([NotifyFilter.Selected, NotifyFilter.Subtree, NotifyFilter.Mailboxes, NotifyFilter.Subscribed], notify.Groups.Select(g => g.Filter));
        Assert.Equal(NotifyEvents.MessageNew | NotifyEvents.MessageExpunge | NotifyEvents.FlagChange, notify.Groups[0].Events);
        Assert.Equal([FetchItemKind.Uid, FetchItemKind.BodySection], notify.Groups[0].FetchItems.Select(i => i.Kind));
        Assert.Equal(["INBOX", "Lists/Work"], notify.Groups[1].Mailboxes);
        Assert.Equal(NotifyEvents.MessageNew | NotifyEvents.MessageExpunge | NotifyEvents.MailboxName, notify.Groups[1].Events);
        Assert.Equal(["Sent"], notify.Groups[2].Mailboxes);
        Assert.Equal(NotifyEvents.None, notify.Groups[2].Events);
        Assert.Equal(NotifyEvents.SubscriptionChange, notify.Groups[3].Events);
        Assert.True(Assert.IsType<NotifyCommand>(Parse("n NOTIFY NONE")).None);
    }

    [Fact]
    public void UnknownEventsAreKeptForBadeventAndBadSyntaxIsRefused()
    {
        var notify = Assert.IsType<NotifyCommand>(Parse("n NOTIFY SET (PERSONAL (MessageNew XFuture AnnotationChange 1))"));
        Assert.Equal(["XFuture", "1"], notify.Groups[0].UnknownEvents);
        Assert.Equal(NotifyEvents.MessageNew | NotifyEvents.AnnotationChange, notify.Groups[0].Events);
        Assert.Contains("filter", Error("n NOTIFY SET (EVERYWHERE (MessageNew))"));
        Assert.NotEmpty(Error("n NOTIFY SET"));
        Assert.NotEmpty(Error("n NOTIFY SET (SUBTREE (MessageNew))"));
        Assert.NotEmpty(Error("n NOTIFY SET (PERSONAL ())"));
        Assert.NotEmpty(Error("n NOTIFY MAYBE"));
    }

    [Fact]
    public void ReturnUpdateAndCancelUpdateParse()
    {
        var search = Assert.IsType<SearchCommand>(Parse("s SEARCH RETURN (UPDATE COUNT PARTIAL 1:10) UNSEEN"));
        Assert.Equal(SearchReturn.Update | SearchReturn.Count | SearchReturn.Partial, search.Return);
        var sort = Assert.IsType<SortCommand>(Parse("s UID SORT RETURN (UPDATE) (DATE) UTF-8 ALL"));
        Assert.Equal(SearchReturn.Update, sort.Return);
        Assert.Equal(["a", "b 2"], Assert.IsType<CancelUpdateCommand>(Parse("c CANCELUPDATE \"a\" \"b 2\"")).Tags);
        Assert.NotEmpty(Error("c CANCELUPDATE"));
    }
}
