using Mail.Frontends.Http.Auth;
using Mail.Frontends.Http.Errors;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Search;
using Microsoft.Extensions.Options;

namespace Mail.Frontends.Http.Api;

/// <summary>/v1/search (Gmail query language over the caller's mailbox) and the operators' reindex commands.</summary>
public static class SearchEndpoints
{
    /// <summary>
    /// A page of search results: the items of <c>GET /v1/emails</c>, whether a later page has more, and with
    /// <c>sort=relevance</c> a snippet per item id (HTML-escaped text with the matches in &lt;mark&gt;). <see cref="Total"/>
    /// is counted only with <c>count=true</c> (null otherwise); <see cref="TotalIsExact"/> is false when the count stopped
    /// at Mail:Search:TotalCap.
    /// </summary>
    public sealed record SearchResultPage(IReadOnlyList<EmailItem> Items, int Page, int PageSize, bool HasMore, long? Total, bool? TotalIsExact,
        IReadOnlyDictionary<string, string> Snippets);

    /// <summary>What a reindex command started.</summary>
    public sealed record ReindexView(int Mailboxes);

    /// <summary>Maps <c>GET /v1/search</c> and, under the admin group, <c>POST /v1/admin/search/reindex</c>.</summary>
    public static void Map(RouteGroupBuilder v1, RouteGroupBuilder admin)
    {
        v1.MapGet("/search", async (HttpContext http, IGrainFactory grains, IOptions<HttpFrontendOptions> options,
            string? q, int? page, int? page_size, string? sort, bool? count) =>
        {
            var size = page_size ?? 50;
            var number = page ?? 1;
            if (number < 1 || size < 1 || size > options.Value.MaxPageSize)
            {
                return Problems.BadRequest($"page must be >= 1 and page_size between 1 and {options.Value.MaxPageSize}.");
            }
            if (string.IsNullOrWhiteSpace(q)) return Problems.BadRequest("q (the search query) is required.");
            SearchSort order;
            switch (sort)
            {
                case null or "" or "newest": order = SearchSort.Newest; break;
                case "relevance": order = SearchSort.Relevance; break;
                default: return Problems.BadRequest("sort must be newest or relevance.");
            }
            var account = MailUser.From(http.User).AccountId;
            var result = await grains.GetGrain<ISearchGrain>(0).SearchAsync(account, new SearchRequest(q, (number - 1) * size, size, order, count == true));
            var snippets = result.Items.Where(h => h.Snippet is not null)
                .ToDictionary(h => h.Message.MessageId.ToString(System.Globalization.CultureInfo.InvariantCulture), h => h.Snippet!);
            return Results.Ok(new SearchResultPage(result.Items.Select(h => EmailItem.Of(h.Message)).ToArray(), number, size, result.HasMore,
                result.Total, result.Total is null ? null : result.TotalIsExact, snippets));
        }).WithName("SearchEmails").RequireAuthorization(ScopePolicies.Read);

        // Rebuilds run in the background (the index sweep); search keeps answering from the old documents meanwhile.
        admin.MapPost("/search/reindex", async (IGrainFactory grains, string? account, string? tenant) =>
        {
            if ((account is null) == (tenant is null)) return Problems.BadRequest("Give exactly one of account (an address) or tenant.");
            var search = grains.GetGrain<ISearchGrain>(0);
            if (tenant is not null) return Results.Accepted(value: new ReindexView(await search.ReindexTenantAsync(tenant.ToLowerInvariant())));
            var key = AddressKey.Normalize(account!);
            var route = key is null ? null : await grains.GetGrain<IAddressGrain>(key).ResolveAsync();
            if (route is null || !await search.ReindexAccountAsync(route.AccountId)) return Problems.NotFound($"No mailbox has the address {account}.");
            return Results.Accepted(value: new ReindexView(1));
        }).WithName("ReindexSearch");
    }
}
