using System.Globalization;

namespace Mail.Bench;

/// <summary>CPU time a process has used (Linux /proc/PID/stat), so a benchmark can report the server's CPU over its timed window only.</summary>
public readonly record struct ServerCpu(TimeSpan User, TimeSpan System)
{
    // USER_HZ: the unit of utime and stime in /proc/PID/stat; 100 on every Linux platform .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>User plus system time.</summary>
    public TimeSpan Total => User + System;

    /// <summary>The CPU time used so far by <paramref name="pid"/>; zero when no process is given.</summary>
    public static ServerCpu Read(int? pid)
    {
        if (pid is null) return default;
        var fields = Fields(pid.Value);
        return new ServerCpu(Ticks(fields[11]), Ticks(fields[12]));
    }

    /// <summary>
    /// The fields of /proc/PID/stat after the parenthesized command name (which may contain spaces): index 0 is
    /// the state (field 3), 1 the parent pid, 11 utime, 12 stime, 13 cutime, 14 cstime (fields 14–17).
    /// </summary>
    private static string[] Fields(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    private static TimeSpan Ticks(string field) => TimeSpan.FromSeconds(long.Parse(field, CultureInfo.InvariantCulture) / TicksPerSecond);

    /// <summary>
    /// The CPU time used so far by <paramref name="pid"/> and its children, living (their own time) and ended
    /// (the parent's cutime/cstime): a PostgreSQL postmaster with its backends.
    /// </summary>
    public static ServerCpu ReadTree(int? pid)
    {
        if (pid is null) return default;
        var own = Fields(pid.Value);
        var total = new ServerCpu(Ticks(own[11]) + Ticks(own[13]), Ticks(own[12]) + Ticks(own[14]));
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var child) || child == pid) continue;
            try
            {
                var fields = Fields(child);
                if (fields[1] == pid.Value.ToString(CultureInfo.InvariantCulture)) total += new ServerCpu(Ticks(fields[11]), Ticks(fields[12]));
            }
            catch (IOException)
            {
                // The process ended between listing and reading.
            }
        }
        return total;
    }

    /// <summary>The sum of two readings.</summary>
    public static ServerCpu operator +(ServerCpu a, ServerCpu b) => new(a.User + b.User, a.System + b.System);

    /// <summary>The CPU time used between two readings.</summary>
    public static ServerCpu operator -(ServerCpu after, ServerCpu before) => new(after.User - before.User, after.System - before.System);
}
