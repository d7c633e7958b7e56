namespace Mail.Frontends.Http.Import;

/// <summary>One account to create, from one line of an import.</summary>
public sealed record AccountImportRow(string? Address, string? Password, long? QuotaBytes);
