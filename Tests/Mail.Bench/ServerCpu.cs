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
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the parenthesized command name (which may contain spaces): state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return new ServerCpu(
            TimeSpan.FromSeconds(long.Parse(fields[11], CultureInfo.InvariantCulture) / TicksPerSecond),
            TimeSpan.FromSeconds(long.Parse(fields[12], CultureInfo.InvariantCulture) / TicksPerSecond));
    }

    /// <summary>The CPU time used between two readings.</summary>
    public static ServerCpu operator -(ServerCpu after, ServerCpu before) => new(after.User - before.User, after.System - before.System);
}
