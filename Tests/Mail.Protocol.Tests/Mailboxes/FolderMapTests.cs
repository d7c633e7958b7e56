using Mail.Grains.Interfaces.Mailboxes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Mail.Protocol.Tests.Mailboxes;

/// <summary>The folder map: lookups, copy-on-write edits that never change a published map, and its wire form.</summary>
public sealed class FolderMapTests
{
    private static FolderMap Build(int count, Func<int, long>? uid = null)
    {
        var builder = new FolderMapBuilder();
        for (var i = 0; i < count; i++) builder.Append(uid?.Invoke(i) ?? i + 1, 1000 + i, (byte)(i % 3 == 0 ? FlagBits.Seen : 0), null);
        return builder.ToMap();
    }

    [Fact]
    public void LookupsBySequenceAndUidSpanPages()
    {
        var map = Build(3000, i => 2L * i + 1);

        Assert.Equal(3000, map.Count);
        Assert.Equal(5999, map.MaxUid);
        Assert.Equal((1L, 1000L), (map.UidAt(0), map.MessageIdAt(0)));
        Assert.Equal((2049L, 2024L), (map.UidAt(1024), map.MessageIdAt(1024)));
        Assert.Equal(1024, map.IndexOfUid(2049));
        Assert.Equal(-1, map.IndexOfUid(2048));
        Assert.Equal(1024, map.LowerBound(2048));
        Assert.Equal(3000, map.LowerBound(6000));
        Assert.Equal(0, map.LowerBound(0));
        Assert.Equal([MessageFlags.Seen], map.FlagsAt(3));
        Assert.Empty(map.FlagsAt(4));
        Assert.Equal(1, map.FirstIndexWithout(FlagBits.Seen));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.UidAt(3000));
        var uids = new long[5];
        var ids = new long[5];
        map.CopyTo(1022, uids, ids);
        Assert.Equal([2045L, 2047, 2049, 2051, 2053], uids);
        Assert.Equal([2022L, 2023, 2024, 2025, 2026], ids);
    }

    [Fact]
    public void AnEditCopiesOnlyThePagesItTouchesAndLeavesThePublishedMapAsItWas()
    {
        var original = Build(3000);
        var builder = original.ToBuilder();

        Assert.True(builder.Remove(1500));
        Assert.True(builder.SetFlags(1501, FlagBits.Deleted, ["$Work"]));
        Assert.False(builder.Remove(1500));
        Assert.False(builder.SetFlags(99_999, FlagBits.Seen, null));
        var edited = builder.ToMap();

        Assert.Equal(1, builder.CopiedPages);
        Assert.Equal(3000, original.Count);
        Assert.Equal(1499, original.IndexOfUid(1500));
        Assert.Equal([MessageFlags.Seen], original.FlagsAt(1500));
        Assert.Equal(2999, edited.Count);
        Assert.Equal(-1, edited.IndexOfUid(1500));
        Assert.Equal(1499, edited.IndexOfUid(1501));
        Assert.Equal([MessageFlags.Deleted, "$Work"], edited.FlagsAt(1499));
        Assert.Equal(["$Work"], edited.Keywords);
        Assert.Empty(original.Keywords);
        Assert.Throws<ArgumentOutOfRangeException>(() => edited.ToBuilder().Append(3000, 1, 0, null));
    }

    [Fact]
    public void RandomEditsAgreeWithASortedListAndEmptiedPagesMerge()
    {
        var random = new Random(11);
        var model = new SortedDictionary<long, (long Id, byte Bits)>();
        var map = FolderMap.Empty;
        var nextUid = 1L;
        for (var round = 0; round < 200; round++)
        {
            var builder = map.ToBuilder();
            for (var op = 0; op < 50; op++)
            {
                var kind = random.Next(10);
                if (kind < 5 || model.Count == 0)
                {
                    var uid = nextUid += random.Next(1, 3);
                    var bits = (byte)random.Next(32);
                    builder.Append(uid, uid * 7, bits, null);
                    model[uid] = (uid * 7, bits);
                }
                else
                {
                    var uid = model.Keys.ElementAt(random.Next(model.Count));
                    if (kind < 8)
                    {
                        Assert.True(builder.Remove(uid));
                        model.Remove(uid);
                    }
                    else
                    {
                        var bits = (byte)random.Next(32);
                        Assert.True(builder.SetFlags(uid, bits, null));
                        model[uid] = (uid * 7, bits);
                    }
                }
            }
            var previous = map;
            var previousCount = previous.Count;
            map = builder.ToMap();
            Assert.Equal(previousCount, previous.Count);
            Assert.Equal(model.Count, map.Count);
        }
        var index = 0;
        foreach (var (uid, (id, bits)) in model)
        {
            Assert.Equal((uid, id, bits, index), (map.UidAt(index), map.MessageIdAt(index), map.BitsAt(index), map.IndexOfUid(uid)));
            index++;
        }

        // A map hollowed out by removals still answers right after its near-empty pages are merged.
        var builder2 = map.ToBuilder();
        foreach (var uid in model.Keys.Where((_, i) => i % 20 != 0).ToList()) builder2.Remove(uid);
        var sparse = builder2.ToMap();
        Assert.Equal((model.Count + 19) / 20, sparse.Count);
        Assert.Equal(model.Keys.Where((_, i) => i % 20 == 0), Enumerable.Range(0, sparse.Count).Select(sparse.UidAt));
    }

    [Fact]
    public void TheWireFormKeepsEveryMessageAndKeywordWhileInProcessCopiesShareTheMap()
    {
        var builder = new FolderMapBuilder();
        for (var i = 1; i <= 2500; i++) builder.Append(i * 3, i, (byte)(i % 32), i % 100 == 0 ? ["$Label" + i % 300, "Junk"] : null);
        builder.AddKeywords(["$Gone"]);
        var map = builder.ToMap();
        var view = new FolderView(new FolderInfo(3, "INBOX", null, 77, 7501, 9, 2500, 10, 12345, true), map);
        using var services = new ServiceCollection().AddSerializer(s => s.AddAssembly(typeof(FolderMap).Assembly)).BuildServiceProvider();

        var serializer = services.GetRequiredService<Serializer<FolderView>>();
        var copy = serializer.Deserialize(serializer.SerializeToArray(view))!;

        Assert.NotSame(map, copy.Map);
        Assert.Equal(view.Folder, copy.Folder);
        Assert.Equal(map.Count, copy.Map.Count);
        Assert.Equal(map.Keywords, copy.Map.Keywords);
        for (var i = 0; i < map.Count; i++)
        {
            Assert.Equal((map.UidAt(i), map.MessageIdAt(i)), (copy.Map.UidAt(i), copy.Map.MessageIdAt(i)));
            Assert.Equal(map.FlagsAt(i), copy.Map.FlagsAt(i));
        }
        // Within a process a grain call copies its arguments and results unless they are immutable: this one is not copied.
        Assert.Same(map, services.GetRequiredService<DeepCopier<FolderView>>().Copy(view).Map);
    }

    [Fact]
    public void FlagBitsSplitSystemFlagsFromKeywords()
    {
        var bits = FlagBits.Split([MessageFlags.Draft, "$Work", MessageFlags.Seen, "Later"], out var keywords);

        Assert.Equal((byte)(FlagBits.Seen | FlagBits.Draft), bits);
        Assert.Equal(["$Work", "Later"], keywords!);
        Assert.Equal([MessageFlags.Seen, MessageFlags.Draft, "$Work", "Later"], FlagBits.ToList(bits, keywords));
        Assert.Equal((byte)0, FlagBits.Split(["\\seen"], out var lower));
        Assert.Equal(["\\seen"], lower!);
        Assert.Same(FlagBits.ToList(FlagBits.Seen, null), FlagBits.ToList(FlagBits.Seen, []));
    }
}
