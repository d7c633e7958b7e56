namespace Mail.Frontends.Http.Push;

/// <summary>
/// Answer of the hub's <c>Resync(sinceModseq)</c>: the events after <c>sinceModseq</c> up to <see cref="Modseq"/>
/// (call again from <see cref="Modseq"/> while <see cref="More"/>); or <see cref="Reload"/>: the changes are behind
/// the change log's horizon, so the client lists folders and messages again and goes on from <see cref="Modseq"/>.
/// </summary>
public sealed record ResyncResult(bool Reload, long Modseq, bool More, MailboxEventView[] Events);
