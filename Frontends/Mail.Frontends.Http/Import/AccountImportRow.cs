namespace Mail.Frontends.Http.Import;

/// <summary>One account to create, from one line of an import: a password, or a password hash made elsewhere (Argon2id PHC).</summary>
public sealed record AccountImportRow(string? Address, string? Password, long? QuotaBytes, string? PasswordHash = null);
