namespace Mail.Frontends.Imap.Protocol;

/// <summary>One element of a sequence set, "a" or "a:b"; <see cref="SequenceSet.Star"/> stands for "*".</summary>
public readonly record struct SequenceRange(long Start, long End);
