namespace Mail.Frontends.Hosting;

/// <summary>What <see cref="SaslDecoder"/> made of a client response.</summary>
public enum SaslStatus
{
    /// <summary>Decoded.</summary>
    Ok,
    /// <summary>The client sent "*" (RFC 4422 §3.5 abort).</summary>
    Cancelled,
    /// <summary>Not base64 (RFC 4648 §4), or not UTF-8 once decoded.</summary>
    BadEncoding,
    /// <summary>Decoded, but not the mechanism's message (PLAIN: not three NUL-separated fields, an empty name or password).</summary>
    Malformed,
    /// <summary>PLAIN asked to act as another user than the one authenticating; the answer is the generic auth failure.</summary>
    AuthzidMismatch,
    /// <summary>More octets than <see cref="SaslDecoder.MaxResponseBytes"/>.</summary>
    TooLong,
}
