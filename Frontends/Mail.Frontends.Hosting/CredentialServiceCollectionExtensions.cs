using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mail.Frontends.Hosting;

/// <summary>Registers the <see cref="CredentialVerifier"/> and the <see cref="SaslDecoder"/> every frontend shares.</summary>
public static class CredentialServiceCollectionExtensions
{
    /// <summary>Adds the verifier and the SASL decoder, their settings bound from "Mail:Security".</summary>
    public static IServiceCollection AddCredentialVerifier(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<CredentialCheckOptions>(configuration.GetSection("Mail:Security"));
        services.AddSingleton<CredentialVerifier>();
        services.AddSingleton(provider => new SaslDecoder(provider.GetRequiredService<IOptions<CredentialCheckOptions>>().Value.MaxSaslResponseBytes));
        return services;
    }
}
