namespace Mail.Grains.Interfaces.Outbound;

/// <summary>
/// The stream classes outbound mail is sent under: the sender says which with <c>"class"</c> in POST /v1/send or an
/// <c>X-Mail-Class</c> header on submission; pool rules keep the classes apart, since a provider judges each IP by all
/// the mail it sends.
/// </summary>
public static class StreamClasses
{
    /// <summary>Mail a recipient's own action caused (receipts, password resets): the default.</summary>
    public const string Transactional = "transactional";

    /// <summary>Mail sent to lists (newsletters, campaigns).</summary>
    public const string Marketing = "marketing";

    /// <summary>The header field naming the class of a submitted message.</summary>
    public const string Header = "X-Mail-Class";

    /// <summary>The class <paramref name="value"/> names (case-insensitive), or null when it names none.</summary>
    public static string? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        Transactional => Transactional,
        Marketing => Marketing,
        _ => null,
    };
}
