using System.Diagnostics;

namespace Mail.Bench.Memory;

/// <summary>Managed heap and working set of this process after full, compacting, blocking collections.</summary>
public sealed record HeapSnapshot(long ManagedBytes, long WorkingSetBytes)
{
    /// <summary>Collects twice (finalizers can free more on the second pass), then reads both figures.</summary>
    public static HeapSnapshot Take()
    {
        for (var i = 0; i < 2; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return new HeapSnapshot(managed, process.WorkingSet64);
    }
}
