using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Mail.Frontends.Http.Push;

/// <summary>
/// Browsers cannot set headers on a WebSocket or an EventSource, so SignalR clients send the access token of /v1/hub
/// as the <c>access_token</c> query parameter; it is read there for that path only.
/// </summary>
public static class MailboxHubToken
{
    /// <summary>JwtBearer's OnMessageReceived: takes the query's token for the hub when no header carries one.</summary>
    public static Task Read(MessageReceivedContext context)
    {
        if (context.HttpContext.Request.Path.StartsWithSegments(MailboxHubComposition.Path)
            && context.Request.Query.TryGetValue("access_token", out var token) && !string.IsNullOrEmpty(token))
        {
            context.Token = token;
        }
        return Task.CompletedTask;
    }
}
