namespace Mail.Grains.Interfaces.Delivery;

/// <summary>
/// One account's Sieve scripts (keyed by account id; RFC 5228 filters, RFC 5804 management): stored in PostgreSQL,
/// validated at upload so errors come back with line and column, at most one active; and the record of vacation
/// replies sent (RFC 5230 §4.2).
/// </summary>
[Alias("mail.ISieveScriptsGrain")]
public interface ISieveScriptsGrain : IGrainWithStringKey
{
    /// <summary>The scripts, by name.</summary>
    Task<IReadOnlyList<SieveScriptInfo>> ListAsync();

    /// <summary>A script's text, or null when there is none by that name.</summary>
    Task<string?> GetAsync(string name);

    /// <summary>Validates a script without storing it (RFC 5804 §2.12 CHECKSCRIPT).</summary>
    Task<SieveCheckResult> CheckAsync(string content);

    /// <summary>
    /// Validates and stores a script under a name, replacing one of that name (an active script stays active). Nothing is
    /// stored when the result is not <see cref="SieveCheckResult.Ok"/>. A bad name is an Invalid and a script over the limits
    /// a QuotaExceeded <c>MailException</c>.
    /// </summary>
    Task<SieveCheckResult> PutAsync(string name, string content);

    /// <summary>Makes a script the active one (the others inactive); null or empty deactivates all (RFC 5804 §2.8).</summary>
    Task SetActiveAsync(string? name);

    /// <summary>Deletes an inactive script; the active one is Forbidden (RFC 5804 §2.10), a missing one NotFound.</summary>
    Task DeleteAsync(string name);

    /// <summary>Renames a script, keeping whether it is active; NotFound or AlreadyExists otherwise (RFC 5804 §2.11.1).</summary>
    Task RenameAsync(string name, string newName);

    /// <summary>Null when a script of that name and size would fit, else the RFC 5804 §1.3 response code: QUOTA/MAXSCRIPTS or QUOTA/MAXSIZE.</summary>
    Task<string?> HaveSpaceAsync(string name, long size);

    /// <summary>The active script, or null.</summary>
    Task<ActiveSieveScript?> GetActiveAsync();

    /// <summary>
    /// Records a vacation reply to <paramref name="sender"/> under <paramref name="handle"/> and returns true, unless one was
    /// sent within <paramref name="days"/> (then false: RFC 5230 §4.2, once per sender per period).
    /// </summary>
    Task<bool> TryRecordVacationAsync(string handle, string sender, int days);
}

/// <summary>A stored script: name, whether it is the active one, size in octets and when it was last written.</summary>
[GenerateSerializer, Immutable, Alias("mail.SieveScriptInfo")]
public sealed record SieveScriptInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] bool Active,
    [property: Id(2)] long Size,
    [property: Id(3)] DateTimeOffset UpdatedAt);

/// <summary>The outcome of validating a script: ok, or the first error with its 1-based line and column.</summary>
[GenerateSerializer, Immutable, Alias("mail.SieveCheckResult")]
public sealed record SieveCheckResult(
    [property: Id(0)] bool Ok,
    [property: Id(1)] string? Error = null,
    [property: Id(2)] int Line = 0,
    [property: Id(3)] int Column = 0);

/// <summary>The active script of an account.</summary>
[GenerateSerializer, Immutable, Alias("mail.ActiveSieveScript")]
public sealed record ActiveSieveScript(
    [property: Id(0)] string Name,
    [property: Id(1)] string Content);
