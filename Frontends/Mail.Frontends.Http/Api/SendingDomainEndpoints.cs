using Mail.Frontends.Http.Errors;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Outbound;

namespace Mail.Frontends.Http.Api;

/// <summary>/v1/admin/domains/{domain}/…: the DNS records a sending domain publishes, their verification and DKIM key rotation.</summary>
public static class SendingDomainEndpoints
{
    /// <summary>Body of the three endpoints: every record with its status.</summary>
    public sealed record DnsRecordsView(IReadOnlyList<DnsRecordInfo> Records);

    /// <summary>Maps the endpoints on the admin group (which checks the admin token).</summary>
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/domains/{domain}/dns", (string domain, IGrainFactory grains) =>
            OnHostedAsync(grains, domain, sending => sending.GetDnsRecordsAsync()));

        admin.MapPost("/domains/{domain}/verify", (string domain, IGrainFactory grains) =>
            OnHostedAsync(grains, domain, sending => sending.VerifyAsync()));

        admin.MapPost("/domains/{domain}/dkim/rotate", (string domain, IGrainFactory grains) =>
            OnHostedAsync(grains, domain, sending => sending.RotateAsync()));
    }

    private static async Task<IResult> OnHostedAsync(IGrainFactory grains, string domain, Func<ISendingDomainGrain, Task<IReadOnlyList<DnsRecordInfo>>> action)
    {
        var name = domain.Trim().TrimEnd('.').ToLowerInvariant();
        if (await grains.GetGrain<IDomainGrain>(name).GetAsync() is null) return Problems.NotFound($"Domain {domain} is not hosted here.");
        return Results.Ok(new DnsRecordsView(await action(grains.GetGrain<ISendingDomainGrain>(name))));
    }
}
