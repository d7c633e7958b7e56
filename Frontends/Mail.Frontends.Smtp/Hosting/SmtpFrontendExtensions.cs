using System.Net;
using Mail.Frontends.Hosting;
using Mail.Frontends.Smtp.Session;
using Mail.Grains.Interfaces.Reputation;
using Mail.Security;
using Mail.Security.Dmarc;
using Mail.Security.Dns;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mail.Frontends.Smtp.Hosting;

/// <summary>Composes the SMTP frontend: MX, submission with STARTTLS and submission with implicit TLS on Kestrel.</summary>
public static class SmtpFrontendExtensions
{
    /// <summary>Readiness part of the SMTP listeners.</summary>
    public const string ReadinessPart = "smtp";

    /// <summary>Registers the handlers and the listeners configured in "Mail:Smtp".</summary>
    public static WebApplicationBuilder AddMailSmtpFrontend(this WebApplicationBuilder builder, ServerCertificate certificate)
    {
        var section = builder.Configuration.GetSection("Mail:Smtp");
        var options = section.Get<SmtpOptions>() ?? new SmtpOptions();
        builder.Services.Configure<SmtpOptions>(section);
        foreach (var handler in new ISmtpCommandHandler[]
                 {
                     new EhloHandler(), new HeloHandler(), new MailHandler(),
                     new RcptHandler(builder.Configuration.GetValue(VerifiedSenderRule.ConfigurationKey, true),
                         builder.Configuration[FeedbackAddress.ConfigurationKey],
                         new RecipientCache(TimeSpan.FromSeconds(options.RecipientCacheSeconds), options.RecipientCacheEntries)), new DataHandler(), new BdatHandler(),
                     new RsetHandler(), new NoopHandler(), new QuitHandler(), new VrfyHandler(), new HelpHandler(),
                     new StartTlsHandler(), new AuthHandler(),
                 })
        {
            builder.Services.AddSingleton(handler);
        }
        builder.Services.AddSingleton<SmtpHandlerSet>();
        builder.Services.AddSingleton(InboundAuthenticatorFor(builder.Configuration, options.InboundAuth));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenProtocol<SmtpConnectionHandler>(options.BindAddress, options.MxPort, middleware: Tag(SmtpListener.Mx));
            kestrel.ListenProtocol<SmtpConnectionHandler>(options.BindAddress, options.SubmissionPort, middleware: Tag(SmtpListener.Submission));
            if (certificate.Certificate is { } tls)
            {
                kestrel.ListenProtocol<SmtpConnectionHandler>(options.BindAddress, options.SubmissionTlsPort, tls, Tag(SmtpListener.SubmissionTls));
            }
        });
        return builder;
    }

    /// <summary>
    /// Sender authentication over its own resolvers when set, else the outbound MTA's ("Mail:Outbound:DnsServers"), so one
    /// setting points the whole host at its DNS. The public suffix list is read now, when enabled, so a host without it
    /// fails at start rather than at the first message.
    /// </summary>
    private static InboundAuthenticator InboundAuthenticatorFor(IConfiguration configuration, InboundAuthOptions options)
    {
        var servers = options.DnsServers.Count > 0 ? options.DnsServers.ToArray() : configuration.GetSection("Mail:Outbound:DnsServers").Get<string[]>() ?? [];
        var dns = new AuthDns(new AuthDnsOptions
        {
            Servers = servers,
            Timeout = TimeSpan.FromSeconds(Math.Max(1, options.DnsTimeoutSeconds)),
            NegativeCache = TimeSpan.FromSeconds(Math.Max(0, options.NegativeCacheSeconds)),
        });
        var suffixes = options.Enabled ? PublicSuffixList.Default : PublicSuffixList.Load([]);
        return new InboundAuthenticator(dns, suffixes, () => Random.Shared.Next(100));
    }

    /// <summary>Makes /health wait for the SMTP listeners.</summary>
    public static WebApplication UseMailSmtpFrontend(this WebApplication app) => app.MarkReadyOnStart(ReadinessPart);

    private static Func<ConnectionDelegate, ConnectionDelegate> Tag(SmtpListener listener) => next => connection =>
    {
        connection.Items[SmtpConnectionHandler.ListenerItem] = listener;
        return next(connection);
    };
}
