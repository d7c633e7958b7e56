using Mail.Frontends.Imap.Mime;
using Mail.Frontends.Imap.Session;

namespace Mail.Protocol.Tests.Imap;

/// <summary>The session's cache of whole messages is bounded by octets, least recently used out first.</summary>
public sealed class MessageCacheTests
{
    private static LoadedMessage Message(int length)
    {
        var bytes = new byte[length];
        return new LoadedMessage(bytes, MimeStructure.Parse(bytes), ContentNeed.Message);
    }

    [Fact]
    public void TheLeastRecentlyUsedGoOnceTheBudgetIsExceeded()
    {
        var cache = new MessageCache(1_000);
        cache.Put(1, Message(400));
        cache.Put(2, Message(400));
        Assert.True(cache.TryGet(1, out _));

        cache.Put(3, Message(400));

        Assert.Equal(800, cache.Bytes);
        Assert.True(cache.TryGet(1, out _));
        Assert.False(cache.TryGet(2, out _));
        Assert.True(cache.TryGet(3, out _));
    }

    [Fact]
    public void AMessageLargerThanTheBudgetIsNotKeptAndAReplacementIsCountedOnce()
    {
        var cache = new MessageCache(1_000);
        cache.Put(1, Message(300));
        cache.Put(1, Message(500));
        Assert.Equal(500, cache.Bytes);

        cache.Put(2, Message(5_000));

        Assert.False(cache.TryGet(2, out _));
        Assert.True(cache.TryGet(1, out _));
        Assert.Equal(500, cache.Bytes);
        cache.Clear();
        Assert.Equal(0, cache.Bytes);
        Assert.False(new MessageCache(0).TryGet(1, out _));
    }
}
