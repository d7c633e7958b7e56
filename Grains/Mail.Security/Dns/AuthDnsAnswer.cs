namespace Mail.Security.Dns;

/// <summary>The records of one lookup and how it ended.</summary>
public sealed record AuthDnsAnswer<T>(AuthDnsStatus Status, IReadOnlyList<T> Records)
{
    /// <summary>A temporary failure.</summary>
    public static AuthDnsAnswer<T> TempFail { get; } = new(AuthDnsStatus.TempFail, []);
}
