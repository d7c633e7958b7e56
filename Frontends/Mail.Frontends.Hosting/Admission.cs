namespace Mail.Frontends.Hosting;

/// <summary>What <see cref="ConnectionLimiter.TryEnter"/> decided about a new connection.</summary>
public enum Admission
{
    /// <summary>The session may start; <see cref="ConnectionLimiter.Exit"/> must follow.</summary>
    Admitted,
    /// <summary>The client's address already holds its share of the listener's sessions.</summary>
    AddressFull,
    /// <summary>The listener already holds as many sessions as it takes from everyone.</summary>
    ListenerFull,
}
