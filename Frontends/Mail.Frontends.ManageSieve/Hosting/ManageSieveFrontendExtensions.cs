using Mail.Frontends.Hosting;
using Mail.Frontends.ManageSieve.Session;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mail.Frontends.ManageSieve.Hosting;

/// <summary>Composes the ManageSieve frontend (RFC 5804): one listener with STARTTLS on Kestrel.</summary>
public static class ManageSieveFrontendExtensions
{
    /// <summary>Readiness part of the ManageSieve listener.</summary>
    public const string ReadinessPart = "managesieve";

    /// <summary>Registers the handlers and the listener configured in "Mail:ManageSieve" (port 0: none).</summary>
    public static WebApplicationBuilder AddMailManageSieveFrontend(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Mail:ManageSieve");
        var options = section.Get<ManageSieveOptions>() ?? new ManageSieveOptions();
        builder.Services.Configure<ManageSieveOptions>(section);
        // MAXREDIRECTS advertises what the delivery engine enforces.
        builder.Services.PostConfigure<ManageSieveOptions>(o => o.MaxRedirects = builder.Configuration.GetValue("Mail:Sieve:MaxRedirects", o.MaxRedirects));
        foreach (var handler in new IManageSieveHandler[]
                 {
                     new CapabilityHandler(), new StartTlsHandler(), new AuthenticateHandler(), new LogoutHandler(), new NoopHandler(),
                     new ListScriptsHandler(), new PutScriptHandler(), new GetScriptHandler(), new SetActiveHandler(),
                     new DeleteScriptHandler(), new RenameScriptHandler(), new CheckScriptHandler(), new HaveSpaceHandler(),
                 })
        {
            builder.Services.AddSingleton(handler);
        }
        builder.Services.AddSingleton<ManageSieveHandlerSet>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenProtocol<ManageSieveConnectionHandler>(options.BindAddress, options.Port));
        return builder;
    }

    /// <summary>Makes /health wait for the ManageSieve listener.</summary>
    public static WebApplication UseMailManageSieveFrontend(this WebApplication app) => app.MarkReadyOnStart(ReadinessPart);
}
