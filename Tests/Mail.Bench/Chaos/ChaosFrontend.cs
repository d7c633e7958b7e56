namespace Mail.Bench.Chaos;

/// <summary>One process of the cluster as infra/cluster.sh lists it in its ready file: "role index pid http mx submission imap pop3 gateway".</summary>
public sealed record ChaosFrontend(string Role, int Index, int Http, int Mx, int Submission, int Imap)
{
    /// <summary>The process's name, as its pid and log files are named.</summary>
    public string Name => $"{Role}-{Index}";

    /// <summary>Reads every line of cluster.sh's ready file.</summary>
    public static IReadOnlyList<ChaosFrontend> ReadAll(string readyFile) =>
        File.ReadAllLines(readyFile).Where(l => l.Length > 0).Select(l => l.Split(' ')).Select(f =>
            new ChaosFrontend(f[0], int.Parse(f[1]), int.Parse(f[3]), int.Parse(f[4]), int.Parse(f[5]), int.Parse(f[6]))).ToArray();
}
