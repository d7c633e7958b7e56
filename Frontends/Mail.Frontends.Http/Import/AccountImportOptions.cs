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

    /// <summary>Batches in creation at once (each is one tenant grain call and one PostgreSQL transaction).</summary>
    public int Parallelism { get; set; } = 4;

    /// <summary>Lines of one tenant sent to its grain as one batch (one transaction); at most 10,000.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>
    /// Lines with a plaintext password a batch holds at most: each costs an Argon2id hash on the silo, so a batch of them is
    /// kept small enough to finish well within a grain call's timeout. Lines with a password_hash cost no hashing.
    /// </summary>
    public int MaxPasswordsPerBatch { get; set; } = 32;

    /// <summary>Errors listed in the answer (all are counted).</summary>
    public int MaxReportedErrors { get; set; } = 1000;
}
