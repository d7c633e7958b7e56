using Mail.Frontends.Imap.Commands;
using Mail.Frontends.Imap.Protocol;

namespace Mail.Protocol.Tests.Imap;

/// <summary>VANISHED (EARLIER) computed without the change log (RFC 7162 §3.2.5.2, §3.2.6): every absent UID of the client's set, narrowed by sequence match data.</summary>
public sealed class VanishedWithoutHistoryTests
{
    private static SequenceSet Set(params (long Start, long End)[] ranges) => new(ranges.Select(r => new SequenceRange(r.Start, r.End)).ToList());

    [Fact]
    public void EveryUidUpToTheLargestThatIsNotPresentIsReportedAsRanges()
    {
        var absent = VanishedWithoutHistory.Absent([3, 4, 8], null, 0, 10, 10);
        Assert.Equal("1:2,5:7,9:10", absent);
    }

    [Fact]
    public void OnlyUidsOfTheClientsKnownSetAreReported()
    {
        var absent = VanishedWithoutHistory.Absent([3, 4, 8], Set((2, 5), (7, 7), (9, SequenceSet.Star)), 0, 10, 8);
        // "*" is the largest UID in use (8 here), so 9:* is 8:9 clipped: only 9 is absent there.
        Assert.Equal("2,5,7,9", absent);
    }

    [Fact]
    public void NothingAtOrBelowTheMatchedFloorIsReported()
    {
        Assert.Equal("9:10", VanishedWithoutHistory.Absent([3, 4, 8], null, 8, 10, 10));
        Assert.Equal("", VanishedWithoutHistory.Absent([1, 2, 3], null, 0, 3, 3));
    }

    [Fact]
    public void AMillionExpungedUidsInARowAreOneRange()
    {
        Assert.Equal("1:1000000", VanishedWithoutHistory.Absent([1_000_001], null, 0, 1_000_001, 1_000_001));
    }

    [Fact]
    public void MatchingSequenceUidPairsRaiseTheFloorUntilTheFirstMismatch()
    {
        long[] uids = [2, 5, 9, 12, 20];
        long At(int index) => uids[index];
        // Client's view: seq 1 = uid 2, seq 2 = uid 5, seq 4 = uid 13 (the mailbox now has 12 there): floor is 5.
        Assert.Equal(5, VanishedWithoutHistory.MatchedFloor(Set((1, 2), (4, 4)), Set((2, 2), (5, 5), (13, 13)), uids.Length, At));
        // All match: up to the last one.
        Assert.Equal(20, VanishedWithoutHistory.MatchedFloor(Set((1, 1), (5, 5)), Set((2, 2), (20, 20)), uids.Length, At));
        // Lists of different lengths, a sequence number past the end, or none at all: no floor.
        Assert.Equal(0, VanishedWithoutHistory.MatchedFloor(Set((1, 2)), Set((2, 2)), uids.Length, At));
        Assert.Equal(0, VanishedWithoutHistory.MatchedFloor(Set((9, 9)), Set((2, 2)), uids.Length, At));
        Assert.Equal(0, VanishedWithoutHistory.MatchedFloor(null, null, uids.Length, At));
    }
}
