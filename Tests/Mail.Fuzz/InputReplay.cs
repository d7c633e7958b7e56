namespace Mail.Fuzz;

/// <summary>Runs a target once on each given input file (directories: every file in them) and reports what failed.</summary>
public static class InputReplay
{
    /// <summary>0 when every input passed, 1 otherwise; failures are printed with their stack traces.</summary>
    public static int Run(FuzzTarget target, IEnumerable<string> paths)
    {
        var (passed, failed) = (0, 0);
        foreach (var file in paths.SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p).Order() : (IEnumerable<string>)[p]))
        {
            if (Path.GetFileName(file) == "README.txt") continue;
            try
            {
                target(File.ReadAllBytes(file));
                passed++;
            }
            catch (Exception e)
            {
                failed++;
                Console.WriteLine($"FAIL {file}: {e}");
            }
        }
        Console.WriteLine($"replay: {passed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }
}
