using Mail.Frontends.Http.Auth;
using Mail.Grains.Interfaces.Accounts;

namespace Mail.Frontends.Http.Api;

/// <summary>/v1/account: the caller's own account, password, app passwords and API keys.</summary>
public static class AccountEndpoints
{
    /// <summary>An account as the API shows it.</summary>
    public sealed record AccountView(string Id, string TenantId, string Address, IReadOnlyList<string> Aliases, long QuotaBytes, bool Suspended, DateTimeOffset CreatedAt)
    {
        /// <summary>The view of an account.</summary>
        public static AccountView From(AccountInfo a) => new(a.AccountId, a.TenantId, a.Address, a.Aliases, a.QuotaBytes, a.Suspended, a.CreatedAt);
    }

    /// <summary>Body of secret creation.</summary>
    public sealed record SecretRequest(string? Name);

    /// <summary>A new secret, shown once.</summary>
    public sealed record SecretView(string Id, string Name, string Secret);

    /// <summary>Body of a password change.</summary>
    public sealed record PasswordRequest(string? Password);

    /// <summary>Maps the endpoints.</summary>
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/account", async (HttpContext http, IGrainFactory grains) =>
            await Account(http, grains).GetAsync() is { } info ? Results.Ok(AccountView.From(info)) : Results.NotFound())
            .WithName("GetAccount");

        v1.MapPut("/account/password", async (PasswordRequest request, HttpContext http, IGrainFactory grains) =>
        {
            await Account(http, grains).SetPasswordAsync(request.Password ?? "");
            return Results.NoContent();
        }).WithName("SetPassword");

        v1.MapPost("/account/app-passwords", async (SecretRequest request, HttpContext http, IGrainFactory grains) =>
        {
            var secret = await Account(http, grains).CreateAppPasswordAsync(request.Name ?? "");
            return Results.Created($"/v1/account/secrets/{secret.Id}", new SecretView(secret.Id, secret.Name, secret.Secret));
        }).WithName("CreateAppPassword");

        v1.MapPost("/account/api-keys", async (SecretRequest request, HttpContext http, IGrainFactory grains) =>
        {
            var secret = await Account(http, grains).CreateApiKeyAsync(request.Name ?? "");
            return Results.Created($"/v1/account/secrets/{secret.Id}", new SecretView(secret.Id, secret.Name, secret.Secret));
        }).WithName("CreateApiKey");

        v1.MapDelete("/account/secrets/{id}", async (string id, HttpContext http, IGrainFactory grains) =>
        {
            await Account(http, grains).RevokeSecretAsync(id);
            return Results.NoContent();
        }).WithName("RevokeSecret");
    }

    private static IAccountGrain Account(HttpContext http, IGrainFactory grains) =>
        grains.GetGrain<IAccountGrain>(MailUser.From(http.User).AccountId);
}
