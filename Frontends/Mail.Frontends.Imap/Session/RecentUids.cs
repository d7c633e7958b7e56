namespace Mail.Frontends.Imap.Session;

/// <summary>
/// The UIDs that are \Recent in this session (RFC 3501 §2.3.2): the runs of UIDs it claimed from the mailbox grain, one
/// run per claim, so a folder of a million new messages costs one entry. <see cref="Count"/> follows expunges.
/// </summary>
public sealed class RecentUids
{
    private readonly List<(long First, long Last)> _runs = [];

    /// <summary>How many messages in the session's view are recent.</summary>
    public int Count { get; private set; }

    /// <summary>Adds the claimed UIDs <paramref name="first"/>..<paramref name="last"/> of which <paramref name="present"/> are in the view.</summary>
    public void Add(long first, long last, int present)
    {
        if (last < first) return;
        _runs.Add((first, last));
        Count += present;
    }

    /// <summary>Whether a UID is recent here.</summary>
    public bool Contains(long uid)
    {
        // Claims go up in UID order, so the runs are sorted: binary search.
        int low = 0, high = _runs.Count - 1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            var (first, last) = _runs[mid];
            if (uid < first) high = mid - 1;
            else if (uid > last) low = mid + 1;
            else return true;
        }
        return false;
    }

    /// <summary>Notes that a message left the view.</summary>
    public void Removed(long uid)
    {
        if (Contains(uid)) Count--;
    }
}
