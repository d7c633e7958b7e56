namespace Mail.Frontends.Http.Pipeline;

/// <summary>Endpoint metadata naming the endpoint's <see cref="BodyLimit"/>, or its own number of bytes (an endpoint with a setting of its own).</summary>
public sealed record BodyLimitMetadata(BodyLimit Limit, long? Bytes = null);
