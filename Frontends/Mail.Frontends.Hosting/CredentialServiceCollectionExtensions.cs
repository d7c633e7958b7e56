using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mail.Frontends.Hosting;

/// <summary>Registers the <see cref="CredentialVerifier"/> every frontend shares.</summary>
public static class CredentialServiceCollectionExtensions
{
    /// <summary>Adds the verifier, its settings bound from "Mail:Security".</summary>
    public static IServiceCollection AddCredentialVerifier(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<CredentialCheckOptions>(configuration.GetSection("Mail:Security"));
        services.AddSingleton<CredentialVerifier>();
        return services;
    }
}
