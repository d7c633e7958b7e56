namespace Mail.Testing;

/// <summary>The repository the tests were built from: the directory above the test output that holds Mail.sln.</summary>
public static class RepoRoot
{
    /// <summary>Its full path.</summary>
    public static string Path
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Mail.sln"))) directory = directory.Parent;
            return directory?.FullName ?? throw new InvalidOperationException("Mail.sln not found above the test directory.");
        }
    }
}
