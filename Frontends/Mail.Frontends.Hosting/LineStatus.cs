namespace Mail.Frontends.Hosting;

/// <summary>What <see cref="LineReader.TryRead"/> found.</summary>
public enum LineStatus
{
    /// <summary>No complete line yet: read more.</summary>
    Incomplete,
    /// <summary>A complete line (without its CRLF or LF).</summary>
    Complete,
    /// <summary>More than the limit arrived without a line end; the caller discards up to the next LF.</summary>
    TooLong,
}
