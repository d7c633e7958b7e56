namespace Mail.Frontends.Http.Pipeline;

/// <summary>Declares an endpoint's request-body limit.</summary>
public static class BodyLimitEndpointExtensions
{
    /// <summary>The endpoint takes bodies up to the <paramref name="limit"/> of the options.</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, BodyLimit limit) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimitMetadata(limit));

    /// <summary>The endpoint takes bodies up to <paramref name="bytes"/>, a limit of its own (POST /v1/bulk: Mail:Bulk:MaxBodyBytes).</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimitMetadata(BodyLimit.Default, bytes));
}
