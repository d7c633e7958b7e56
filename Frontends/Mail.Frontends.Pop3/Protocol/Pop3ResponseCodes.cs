namespace Mail.Frontends.Pop3.Protocol;

/// <summary>Extended response codes sent in brackets after "-ERR" (RFC 2449 §8, RFC 3206).</summary>
public static class Pop3ResponseCodes
{
    /// <summary>The maildrop is locked by another session (RFC 2449 §8.1.1).</summary>
    public const string InUse = "IN-USE";

    /// <summary>The credentials are wrong or may not be used here; retrying the same ones will not help (RFC 3206 §5).</summary>
    public const string Auth = "AUTH";

    /// <summary>A temporary system problem; the client may try again later (RFC 3206 §4).</summary>
    public const string SysTemp = "SYS/TEMP";
}
