using Mail.Events;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mail.Frontends.Http.Push;

/// <summary>Registers and maps the push hub (<see cref="MailboxHub"/>) at <see cref="Path"/>, with the JSON and MessagePack protocols.</summary>
public static class MailboxHubComposition
{
    /// <summary>Where the hub is mapped.</summary>
    public const string Path = "/v1/hub";

    /// <summary>Registers the hub's services and options ("Mail:Push", "Mail:Events").</summary>
    public static WebApplicationBuilder AddMailboxHub(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<PushOptions>(builder.Configuration.GetSection(PushOptions.Section));
        builder.Services.Configure<MailboxChangeFeedOptions>(builder.Configuration.GetSection(MailboxChangeFeedOptions.Section));
        builder.Services.AddSingleton<MailboxHubFeeds>();
        builder.Services.AddSignalR(o =>
            {
                // Clients send only Resync calls: small messages.
                o.MaximumReceiveMessageSize = 4096;
            })
            .AddJsonProtocol()
            .AddMessagePackProtocol();
        return builder;
    }

    /// <summary>Maps the hub.</summary>
    public static WebApplication MapMailboxHub(this WebApplication app)
    {
        app.MapHub<MailboxHub>(Path);
        return app;
    }
}
