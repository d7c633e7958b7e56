using Mail.Grains.Accounts;
using Mail.Grains.Mailboxes;
using Mail.Grains.Outbound;
using Mail.Grains.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mail.Grains;

/// <summary>Registers the services the grains use. The host adds an NpgsqlDataSource and an IBlobStore.</summary>
public static class MailGrainsServiceCollectionExtensions
{
    /// <summary>Adds the grains' stores and options.</summary>
    public static IServiceCollection AddMailGrains(this IServiceCollection services)
    {
        services.AddOptions<PasswordHashingOptions>();
        services.AddOptions<AccountDefaults>();
        services.AddOptions<AuthThrottleOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new PasswordHasher(sp.GetRequiredService<IOptions<PasswordHashingOptions>>().Value));
        services.AddSingleton<MailboxStore>();
        services.AddSingleton<DirectoryTable>();
        services.AddSingleton<OutboundQueueStore>();
        return services;
    }
}
