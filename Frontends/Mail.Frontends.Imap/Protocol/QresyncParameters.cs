namespace Mail.Frontends.Imap.Protocol;

/// <summary>The QRESYNC select parameter (RFC 7162 §3.2.5): what the client knew when it last synced.</summary>
public sealed record QresyncParameters(long UidValidity, long Modseq, SequenceSet? KnownUids, SequenceSet? KnownSequence, SequenceSet? KnownSequenceUids);
