namespace Mail.Frontends.Hosting;

/// <summary>
/// How a frontend answers failed logins, bound from "Mail:Security": each failure is answered after
/// min(<see cref="FailureDelayBase"/> × 2^(failures − 3), <see cref="MaxFailureDelay"/>), failures being those of
/// that user name from that client address in the throttle window (so 0.25 s, 0.5 s, 1 s, 2 s, 4 s, then 8 s).
/// </summary>
public sealed class CredentialCheckOptions
{
    /// <summary>Delay after the third failure; the first two get a quarter and a half of it.</summary>
    public TimeSpan FailureDelayBase { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay, also the answer time of a locked-out attempt.</summary>
    public TimeSpan MaxFailureDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Most octets of a decoded SASL response (AUTH PLAIN/LOGIN, AUTHENTICATE); longer ones are refused undecoded.</summary>
    public int MaxSaslResponseBytes { get; set; } = SaslDecoder.DefaultMaxResponseBytes;

    /// <summary>The delay after <paramref name="failures"/> recent failures.</summary>
    public TimeSpan DelayAfter(int failures) =>
        TimeSpan.FromTicks((long)Math.Min(FailureDelayBase.Ticks * Math.Pow(2, failures - 3), MaxFailureDelay.Ticks));
}
