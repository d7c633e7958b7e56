namespace Mail.Grains.Reputation.Options;

/// <summary>
/// Tenant thresholds over the last <see cref="WindowHours"/>: past a review rate the tenant is throttled to
/// <see cref="ReviewRate"/> and flagged for review; past a pause rate its sending stops until an operator lifts it.
/// Rates are judged only once the window holds <see cref="MinimumMessages"/> final outcomes.
/// </summary>
public sealed class TenantThresholdOptions
{
    /// <summary>Bounce rate that throttles and flags.</summary>
    public double ReviewBounceRate { get; set; } = 0.05;

    /// <summary>Complaint rate that throttles and flags.</summary>
    public double ReviewComplaintRate { get; set; } = 0.001;

    /// <summary>Bounce rate that pauses.</summary>
    public double PauseBounceRate { get; set; } = 0.10;

    /// <summary>Complaint rate that pauses.</summary>
    public double PauseComplaintRate { get; set; } = 0.003;

    /// <summary>Delivered plus bounced messages the window must hold before rates count.</summary>
    public int MinimumMessages { get; set; } = 100;

    /// <summary>The window, in hours.</summary>
    public int WindowHours { get; set; } = 24;

    /// <summary>The rate a flagged tenant is held to.</summary>
    public string ReviewRate { get; set; } = "1000/h";

    /// <summary>After an operator's lift the thresholds leave the tenant alone this long.</summary>
    public int LiftGraceHours { get; set; } = 24;
}
