namespace Mail.Grains.Delivery.Sieve;

/// <summary>Sieve settings and limits, bound from "Mail:Sieve".</summary>
public sealed class SieveLimits
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Mail:Sieve";

    /// <summary>Largest script, in octets (ManageSieve PUTSCRIPT and the API refuse more: RFC 5804 §1.3 QUOTA/MAXSIZE).</summary>
    public int MaxScriptBytes { get; set; } = 64 * 1024;

    /// <summary>Most scripts an account may keep (RFC 5804 QUOTA/MAXSCRIPTS).</summary>
    public int MaxScripts { get; set; } = 16;

    /// <summary>Longest script name, in characters (RFC 5804 §1.6).</summary>
    public int MaxNameLength { get; set; } = 128;

    /// <summary>Most redirect actions one run may take (RFC 5228 §4.2 lets a site limit them); more is a runtime error (keep).</summary>
    public int MaxRedirects { get; set; } = 4;

    /// <summary>Delivered-To fields a message may already carry and still be redirected: a bound on forwarding chains.</summary>
    public int MaxRedirectHops { get; set; } = 8;

    /// <summary>Smallest vacation :days (RFC 5230 §4.1); a smaller value is taken as this.</summary>
    public int VacationMinDays { get; set; } = 1;

    /// <summary>Largest vacation :days; a larger value is taken as this.</summary>
    public int VacationMaxDays { get; set; } = 30;

    /// <summary>Vacation :days when the script gives none (RFC 5230 §4.1 suggests 7).</summary>
    public int VacationDefaultDays { get; set; } = 7;

    /// <summary>Most octets of a message the header and body tests read (the size test always sees the full size).</summary>
    public int MaxParsedBytes { get; set; } = 1024 * 1024;
}
