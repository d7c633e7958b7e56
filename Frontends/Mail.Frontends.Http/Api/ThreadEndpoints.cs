using Mail.Frontends.Http.Auth;
using Mail.Frontends.Http.Errors;

namespace Mail.Frontends.Http.Api;

/// <summary>/v1/threads/{id}: the messages of a conversation (the <c>thread_id</c> of a listing item), oldest first.</summary>
public static class ThreadEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/threads/{id:long}", async (long id, HttpContext http, IGrainFactory grains) =>
        {
            var messages = await EmailEndpoints.Mailbox(http, grains).GetThreadAsync(id);
            if (messages.Count == 0) return Problems.NotFound($"Thread {id} does not exist.");
            return Results.Ok(new ThreadView(id.ToString(System.Globalization.CultureInfo.InvariantCulture), messages.Select(EmailItem.Of).ToArray()));
        }).WithName("GetThread").RequireAuthorization(ScopePolicies.Read);
    }
}

/// <summary>A thread: its id and its messages, oldest first.</summary>
public sealed record ThreadView(string Id, IReadOnlyList<EmailItem> Messages);
