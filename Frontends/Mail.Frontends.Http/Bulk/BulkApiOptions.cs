namespace Mail.Frontends.Http.Bulk;

/// <summary>Settings of POST /v1/bulk, bound from "Mail:Bulk" (the silo's runner reads its own from the same section).</summary>
public sealed class BulkApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Mail:Bulk";

    /// <summary>Largest request body of POST /v1/bulk (its own limit, far above every other endpoint's): 100,000 recipients with substitutions.</summary>
    public long MaxBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Most recipients of one job (the silo checks the same setting).</summary>
    public int MaxRecipients { get; set; } = 100_000;

    /// <summary>Recipients stored per call to the job grain while the body streams in.</summary>
    public int BatchSize { get; set; } = 2000;
}
