using System.Net;
using Mail.Events;
using Mail.Frontends.Hosting;
using Mail.Frontends.Imap.Commands;
using Mail.Frontends.Imap.Session;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mail.Frontends.Imap.Hosting;

/// <summary>Composes the IMAP frontend: a STARTTLS listener and an implicit-TLS listener (RFC 8314) on Kestrel.</summary>
public static class ImapFrontendExtensions
{
    /// <summary>Readiness part of the IMAP listeners.</summary>
    public const string ReadinessPart = "imap";

    /// <summary>Registers the handlers and the listeners configured in "Mail:Imap".</summary>
    public static WebApplicationBuilder AddMailImapFrontend(this WebApplicationBuilder builder, ServerCertificate certificate)
    {
        var section = builder.Configuration.GetSection("Mail:Imap");
        var options = section.Get<ImapOptions>() ?? new ImapOptions();
        if (options.IdleTimeoutMinutes < 30) throw new InvalidOperationException("Mail:Imap:IdleTimeoutMinutes must be at least 30 (RFC 9051 §5.4).");
        builder.Services.Configure<ImapOptions>(section);
        foreach (var handler in new IImapCommandHandler[]
                 {
                     new CapabilityHandler(), new NoopHandler(), new LogoutHandler(), new StartTlsHandler(), new LoginHandler(),
                     new AuthenticateHandler(), new EnableHandler(), new IdHandler(), new NamespaceHandler(), new ListHandler(),
                     new CreateHandler(), new DeleteHandler(), new RenameHandler(), new SubscribeHandler(), new StatusHandler(),
                     new SelectHandler(), new CloseHandler(), new UnselectHandler(), new UnauthenticateHandler(), new ExpungeHandler(), new AppendHandler(),
                     new FetchHandler(), new StoreHandler(), new CopyHandler(), new SearchHandler(), new SortHandler(), new ThreadHandler(), new QuotaHandler(),
                     new AclHandler(),
                 })
        {
            builder.Services.AddSingleton(handler);
        }
        builder.Services.AddSingleton<IImapCommandHandler, IdleHandler>();
        builder.Services.AddSingleton<IImapCommandHandler, NotifyHandler>();
        builder.Services.AddSingleton<IImapCommandHandler>(new CancelUpdateHandler());
        builder.Services.AddSingleton<IImapCommandHandler, ReplaceHandler>();
        builder.Services.AddSingleton<IImapCommandHandler, CompressHandler>();
        builder.Services.Configure<MailboxChangeFeedOptions>(builder.Configuration.GetSection(MailboxChangeFeedOptions.Section));
        builder.Services.AddSingleton<ImapHandlerSet>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenProtocol<ImapConnectionHandler>(options.BindAddress, options.Port);
            if (certificate.Certificate is { } tls) kestrel.ListenProtocol<ImapConnectionHandler>(options.BindAddress, options.TlsPort, tls);
        });
        return builder;
    }

    /// <summary>Makes /health wait for the IMAP listeners.</summary>
    public static WebApplication UseMailImapFrontend(this WebApplication app) => app.MarkReadyOnStart(ReadinessPart);
}
