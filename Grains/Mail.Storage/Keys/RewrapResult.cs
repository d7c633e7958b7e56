namespace Mail.Storage.Keys;

/// <summary>What a re-wrap did: the master key version the tenant keys are now wrapped under, how many were re-wrapped, and how many are still under another version (created during the run: run it again).</summary>
public sealed record RewrapResult(string MasterKeyId, int Rewrapped, int Remaining);
