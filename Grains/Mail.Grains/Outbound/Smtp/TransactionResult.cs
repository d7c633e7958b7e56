namespace Mail.Grains.Outbound.Smtp;

/// <summary>The per-recipient outcome of one SMTP transaction with <paramref name="HostName"/>, in the order the recipients were given.</summary>
public sealed record TransactionResult(string HostName, IReadOnlyList<RecipientResult> Recipients)
{
    /// <summary>Every recipient was accepted.</summary>
    public bool AllAccepted => Recipients.All(r => r.Accepted);
}
