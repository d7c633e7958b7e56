using Microsoft.Extensions.Options;

namespace Mail.Grains.Reputation.Suppression;

/// <summary>
/// Which final failures suppress the address: permanent ones (RFC 3463 class 5) whose subject is the address or its
/// mailbox, not the message or a policy (<see cref="SuppressionOptions.NotHardBounceCodes"/>). A recipient that failed
/// because its queue lifetime ran out on temporary replies is a soft bounce and is not suppressed.
/// </summary>
public sealed class HardBounceRule(IOptions<SuppressionOptions> options)
{
    private readonly string[] _excluded = options.Value.NotHardBounceCodes.ToArray();

    /// <summary>How long a hard bounce suppresses its address.</summary>
    public TimeSpan Lifetime { get; } = TimeSpan.FromDays(options.Value.HardBounceDays);

    /// <summary>Whether a failure with <paramref name="statusCode"/> (an RFC 3463 code) is a hard bounce.</summary>
    public bool IsHard(string? statusCode) =>
        statusCode is { Length: >= 5 } code && code.StartsWith("5.", StringComparison.Ordinal)
        && !_excluded.Any(prefix => code.StartsWith(prefix, StringComparison.Ordinal));
}
