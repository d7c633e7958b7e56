namespace Mail.Bench.Imap;

/// <summary>The outcome of one command: OK or not, its completion line, untagged lines, octets read and time to completion.</summary>
public sealed record ImapRun(bool Ok, string Completion, long Lines, long Bytes, TimeSpan Elapsed);
