namespace Mail.Frontends.Http.Pipeline;

/// <summary>Endpoint metadata naming the endpoint's <see cref="BodyLimit"/>.</summary>
public sealed record BodyLimitMetadata(BodyLimit Limit);
