namespace Mail.Grains.Outbound;

/// <summary>
/// A failure that applies to every recipient of a job: no route, no connection, or a dropped session.
/// <see cref="SuspendsSite"/> is set when no host of the site could be reached at all.
/// </summary>
public sealed record DeliveryFailure(bool Permanent, string StatusCode, string Text, string? RemoteMta, bool SuspendsSite = false);
