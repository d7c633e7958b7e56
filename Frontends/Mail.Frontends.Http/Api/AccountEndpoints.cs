using System.Net;
using Mail.Frontends.Hosting;
using Mail.Frontends.Http.Auth;
using Mail.Frontends.Http.Errors;
using Mail.Frontends.Http.Pipeline;
using Mail.Grains.Interfaces.Accounts;

namespace Mail.Frontends.Http.Api;

/// <summary>
/// /v1/account: the caller's own account, password, app passwords and API keys. Everything but reading the account
/// needs full scope, so a read or send key cannot make itself a stronger key.
/// </summary>
public static class AccountEndpoints
{
    /// <summary>An account as the API shows it.</summary>
    public sealed record AccountView(string Id, string TenantId, string Address, IReadOnlyList<string> Aliases, long QuotaBytes, bool Suspended, DateTimeOffset CreatedAt)
    {
        /// <summary>The view of an account.</summary>
        public static AccountView From(AccountInfo a) => new(a.AccountId, a.TenantId, a.Address, a.Aliases, a.QuotaBytes, a.Suspended, a.CreatedAt);
    }

    /// <summary>Body of app password creation.</summary>
    public sealed record SecretRequest(string? Name);

    /// <summary>Body of API key creation: scope send, read or full (the default); expires_at optional.</summary>
    public sealed record ApiKeyRequest(string? Name, string? Scope, DateTimeOffset? ExpiresAt);

    /// <summary>A new secret, shown once.</summary>
    public sealed record SecretView(string Id, string Name, string Secret);

    /// <summary>GET /v1/account/secrets: the app passwords and API keys, without their values.</summary>
    public sealed record SecretList(IReadOnlyList<SecretInfo> Items);

    /// <summary>Body of a password change: the current password and the new one.</summary>
    public sealed record PasswordRequest(string? CurrentPassword, string? Password);

    /// <summary>Maps the endpoints.</summary>
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/account", async (HttpContext http, IGrainFactory grains) =>
            await Account(http, grains).GetAsync() is { } info ? Results.Ok(AccountView.From(info)) : Results.NotFound())
            .WithName("GetAccount").RequireAuthorization(ScopePolicies.Read);

        // The current password is checked through the throttled verifier, so a stolen token cannot be used to guess it
        // faster than a login could; the change then revokes every token, this one included.
        v1.MapPut("/account/password", async (PasswordRequest request, HttpContext http, IGrainFactory grains, CredentialVerifier verifier) =>
        {
            if (string.IsNullOrEmpty(request.CurrentPassword)) return Problems.BadRequest("current_password is required.");
            var user = MailUser.From(http.User);
            var client = http.Connection.RemoteIpAddress ?? IPAddress.None;
            if (await verifier.VerifyAsync(user.Address, request.CurrentPassword, client, CredentialUse.AccountPassword) is null)
            {
                return Problems.Forbidden("current_password is not the account's password.");
            }
            await Account(http, grains).SetPasswordAsync(request.Password ?? "");
            return Results.NoContent();
        }).WithName("SetPassword").RequireAuthorization(ScopePolicies.Full).WithBodyLimit(BodyLimit.Credentials);

        v1.MapPost("/account/app-passwords", async (SecretRequest request, HttpContext http, IGrainFactory grains) =>
        {
            var secret = await Account(http, grains).CreateAppPasswordAsync(request.Name ?? "");
            return Results.Created($"/v1/account/secrets/{secret.Id}", new SecretView(secret.Id, secret.Name, secret.Secret));
        }).WithName("CreateAppPassword").RequireAuthorization(ScopePolicies.Full);

        v1.MapPost("/account/api-keys", async (ApiKeyRequest request, HttpContext http, IGrainFactory grains) =>
        {
            var secret = await Account(http, grains).CreateApiKeyAsync(request.Name ?? "", request.Scope ?? ApiKeyScopes.Full, request.ExpiresAt);
            return Results.Created($"/v1/account/secrets/{secret.Id}", new SecretView(secret.Id, secret.Name, secret.Secret));
        }).WithName("CreateApiKey").RequireAuthorization(ScopePolicies.Full);

        v1.MapGet("/account/secrets", async (HttpContext http, IGrainFactory grains) =>
            Results.Ok(new SecretList(await Account(http, grains).ListSecretsAsync())))
            .WithName("ListSecrets").RequireAuthorization(ScopePolicies.Full);

        v1.MapDelete("/account/secrets/{id}", async (string id, HttpContext http, IGrainFactory grains) =>
        {
            await Account(http, grains).RevokeSecretAsync(id);
            return Results.NoContent();
        }).WithName("RevokeSecret").RequireAuthorization(ScopePolicies.Full);
    }

    private static IAccountGrain Account(HttpContext http, IGrainFactory grains) =>
        grains.GetGrain<IAccountGrain>(MailUser.From(http.User).AccountId);
}
