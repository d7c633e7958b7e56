namespace Mail.Frontends.Http.Import;

/// <summary>Limits of POST /v1/admin/accounts:import, bound from "Mail:Http:Import".</summary>
public sealed class AccountImportOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Mail:Http:Import";

    /// <summary>Largest request body (its own limit, read as a stream): a million short lines fit.</summary>
    public long MaxBodyBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Longest line; a longer one is reported as an error and skipped, the import goes on.</summary>
    public int MaxLineBytes { get; set; } = 4096;

    /// <summary>Accounts created at once (each is a password hash and a few grain calls).</summary>
    public int Parallelism { get; set; } = 8;

    /// <summary>Errors listed in the answer (all are counted).</summary>
    public int MaxReportedErrors { get; set; } = 1000;
}
