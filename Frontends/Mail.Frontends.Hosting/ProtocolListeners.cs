using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mail.Frontends.Hosting;

/// <summary>How a protocol frontend puts its connection handler on Kestrel and reports itself ready.</summary>
public static class ProtocolListeners
{
    /// <summary>
    /// Listens on <paramref name="port"/> (nothing when it is 0) with <typeparamref name="THandler"/>, behind
    /// TLS from the first byte when <paramref name="implicitTls"/> is given (RFC 8314), after an optional
    /// connection middleware (to tag which listener a connection came in on, say).
    /// </summary>
    public static void ListenProtocol<THandler>(this KestrelServerOptions kestrel, string bindAddress, int port,
        X509Certificate2? implicitTls = null, Func<ConnectionDelegate, ConnectionDelegate>? middleware = null)
        where THandler : ConnectionHandler
    {
        if (port <= 0) return;
        kestrel.Listen(IPAddress.Parse(bindAddress), port, listen =>
        {
            if (implicitTls is not null) listen.UseHttps(implicitTls);
            if (middleware is not null) listen.Use(middleware);
            listen.UseConnectionHandler<THandler>();
        });
    }

    /// <summary>Makes /health wait for <paramref name="part"/>, which is ready once Kestrel has bound its listeners.</summary>
    public static WebApplication MarkReadyOnStart(this WebApplication app, string part)
    {
        var readiness = app.Services.GetRequiredService<ReadinessState>();
        readiness.Expect(part);
        app.Lifetime.ApplicationStarted.Register(() => readiness.MarkReady(part));
        return app;
    }
}
