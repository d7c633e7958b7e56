using System.Net;
using Mail.Frontends.Hosting;
using Mail.Frontends.Pop3.Session;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mail.Frontends.Pop3.Hosting;

/// <summary>Composes the POP3 frontend: a listener with STLS and one with implicit TLS on Kestrel.</summary>
public static class Pop3FrontendExtensions
{
    /// <summary>Readiness part of the POP3 listeners.</summary>
    public const string ReadinessPart = "pop3";

    /// <summary>Registers the handlers and the listeners configured in "Mail:Pop3".</summary>
    public static WebApplicationBuilder AddMailPop3Frontend(this WebApplicationBuilder builder, ServerCertificate certificate)
    {
        var section = builder.Configuration.GetSection("Mail:Pop3");
        var options = section.Get<Pop3Options>() ?? new Pop3Options();
        builder.Services.Configure<Pop3Options>(section);
        foreach (var handler in new IPop3CommandHandler[]
                 {
                     new CapaHandler(), new StlsHandler(), new UserHandler(), new PassHandler(), new AuthHandler(),
                     new StatHandler(), new ListHandler(), new UidlHandler(), new RetrHandler(), new TopHandler(),
                     new DeleHandler(), new RsetHandler(), new NoopHandler(), new QuitHandler(),
                 })
        {
            builder.Services.AddSingleton(handler);
        }
        builder.Services.AddSingleton<Pop3HandlerSet>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenProtocol<Pop3ConnectionHandler>(options.BindAddress, options.Port);
            if (certificate.Certificate is { } tls) kestrel.ListenProtocol<Pop3ConnectionHandler>(options.BindAddress, options.TlsPort, tls);
        });
        return builder;
    }

    /// <summary>Makes /health wait for the POP3 listeners.</summary>
    public static WebApplication UseMailPop3Frontend(this WebApplication app) => app.MarkReadyOnStart(ReadinessPart);
}
