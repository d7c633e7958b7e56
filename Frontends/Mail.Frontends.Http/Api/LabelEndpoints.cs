using Mail.Frontends.Http.Auth;

namespace Mail.Frontends.Http.Api;

/// <summary>/v1/labels: the labels in use with their counts (labels are set with PATCH /v1/emails/{id}).</summary>
public static class LabelEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/labels", async (HttpContext http, IGrainFactory grains) =>
        {
            var labels = await EmailEndpoints.Mailbox(http, grains).ListLabelsAsync();
            return Results.Ok(new LabelList(labels.Select(l => new LabelItem(l.Name, l.Total, l.Unread)).ToArray()));
        }).WithName("ListLabels").RequireAuthorization(ScopePolicies.Read);
    }
}

/// <summary>The labels of a mailbox.</summary>
public sealed record LabelList(IReadOnlyList<LabelItem> Labels);

/// <summary>A label with how many messages carry it (every folder) and how many of those are unread.</summary>
public sealed record LabelItem(string Name, long Total, long Unread);
