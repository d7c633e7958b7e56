namespace Mail.Grains.Interfaces.Accounts;

/// <summary>A valid API key: the account it belongs to and the scope it grants (<see cref="ApiKeyScopes"/>).</summary>
[GenerateSerializer, Immutable, Alias("mail.ApiKeyGrant")]
public sealed record ApiKeyGrant(
    [property: Id(0)] AccountInfo Account,
    [property: Id(1)] string Scope);
