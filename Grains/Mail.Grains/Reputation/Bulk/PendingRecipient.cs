namespace Mail.Grains.Reputation.Bulk;

/// <summary>A recipient of a job not yet queued: its number in the job, address, and substitutions (JSON object of strings).</summary>
public sealed record PendingRecipient(int Seq, string Address, string? VarsJson);
