namespace Mail.Grains.Lifecycle;

/// <summary>What one retention pass did: mailboxes whose log it pruned, change rows and delivery ids deleted; <see cref="Ran"/> false when another silo held the pass.</summary>
public sealed record RetentionPass(bool Ran, int Mailboxes, long Changes, long Deliveries);
