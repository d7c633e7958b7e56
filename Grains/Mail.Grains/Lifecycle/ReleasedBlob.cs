namespace Mail.Grains.Lifecycle;

/// <summary>A blob whose last reference went before the grace period, and whether any row references it now.</summary>
public sealed record ReleasedBlob(string Tenant, string Name, bool Referenced);
