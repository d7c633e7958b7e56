using System.Collections.Concurrent;

namespace Mail.Grains.Outbound.Dns;

/// <summary>
/// Discovers and caches recipient domains' MTA-STS policies (RFC 8461 §3, §5.1): the "_mta-sts" TXT id decides
/// whether to fetch, a fetched policy lives until its max_age, and a failed lookup or fetch keeps the last good one.
/// </summary>
public sealed class MtaStsResolver : IDisposable
{
    /// <summary>How long "this domain has no MTA-STS" (or "its policy could not be fetched") is remembered.</summary>
    public static readonly TimeSpan DefaultNegativeTtl = TimeSpan.FromMinutes(5);

    /// <summary>Domains remembered at most; past it expired entries go first, then those expiring soonest.</summary>
    public const int DefaultCapacity = 10_000;

    /// <summary>Budget of one policy fetch (connect, TLS, body).</summary>
    public static readonly TimeSpan DefaultFetchTimeout = TimeSpan.FromSeconds(30);

    private readonly IMailDns _dns;
    private readonly MtaStsFetcher _fetcher;
    private readonly TimeProvider _time;
    private readonly TimeSpan _negativeTtl;
    private readonly int _capacity;
    private readonly ConcurrentDictionary<string, CacheEntry> _cache = new(StringComparer.Ordinal);
    // A burst of messages to one domain shares one fetch instead of each opening an HTTPS connection.
    private readonly ConcurrentDictionary<(string Domain, string Id), Task<(MtaStsPolicy? Policy, string Error)>> _fetching = new();

    /// <summary>Policies from <see cref="OutboundOptions.MtaStsPort"/>, trusting the system roots and <see cref="OutboundOptions.ExtraTrustedRootsPath"/>.</summary>
    public MtaStsResolver(IMailDns dns, OutboundOptions options, TimeProvider? time = null, TimeSpan? negativeTtl = null,
        int capacity = DefaultCapacity, TimeSpan? fetchTimeout = null)
    {
        _dns = dns;
        _time = time ?? TimeProvider.System;
        _negativeTtl = negativeTtl ?? DefaultNegativeTtl;
        _capacity = Math.Max(1, capacity);
        _fetcher = new MtaStsFetcher(dns, options.MtaStsPort, ExtraTrustedRoots.Load(options.ExtraTrustedRootsPath),
            fetchTimeout ?? DefaultFetchTimeout);
    }

    /// <summary>Domains currently cached (positive and negative).</summary>
    public int CachedDomains => _cache.Count;

    /// <summary>
    /// The policy to apply to mail for <paramref name="domain"/>, or null when it has none: then, and when no
    /// policy was ever fetched successfully, delivery goes on as if the domain had no MTA-STS (§5.1).
    /// </summary>
    public async Task<MtaStsPolicy?> GetPolicyAsync(string domain, CancellationToken ct)
    {
        domain = domain.TrimEnd('.').ToLowerInvariant();
        var now = _time.GetUtcNow();
        _cache.TryGetValue(domain, out var entry);
        if (entry is not null && entry.Expires <= now)
        {
            entry = null;
        }
        if (entry is { Policy: null })
        {
            return null;
        }
        var cached = entry?.Policy;

        var txt = await _dns.LookupTxtAsync("_mta-sts." + domain, ct);
        var id = txt.Status == DnsStatus.Ok ? MtaStsPolicyParser.ParseTxtId(txt.Records) : null;
        if (id is null)
        {
            // A TXT that failed or vanished does not end a live policy: an attacker could strip it (§5.1, §8.3 has
            // domains withdraw with a "mode: none" policy instead). Only a temporary failure is not remembered.
            if (cached is null && txt.Status != DnsStatus.TempFail)
            {
                Store(domain, new CacheEntry(null, now + _negativeTtl));
            }
            return cached;
        }
        if (cached?.Id == id)
        {
            return cached;
        }
        // Another caller may have fetched this id while our TXT lookup was under way.
        if (_cache.TryGetValue(domain, out var fresh) && fresh.Policy?.Id == id && fresh.Expires > _time.GetUtcNow())
        {
            return fresh.Policy;
        }

        var (policy, _) = await FetchOnceAsync(domain, id).WaitAsync(ct);
        if (policy is not null)
        {
            return policy;
        }
        // §5.1: the fetch failed; a policy still within its max_age stays in force, otherwise there is none for now.
        if (cached is null)
        {
            Store(domain, new CacheEntry(null, now + _negativeTtl));
        }
        return cached;
    }

    /// <inheritdoc />
    public void Dispose() => _fetcher.Dispose();

    private async Task<(MtaStsPolicy? Policy, string Error)> FetchOnceAsync(string domain, string id)
    {
        var key = (domain, id);
        var mine = new TaskCompletionSource<(MtaStsPolicy? Policy, string Error)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var shared = _fetching.GetOrAdd(key, mine.Task);
        if (shared != mine.Task)
        {
            return await shared;
        }
        try
        {
            // Not the caller's token: other callers wait on this fetch too; the fetcher's own timeout bounds it.
            var result = await _fetcher.FetchAsync(domain, id, CancellationToken.None);
            // Cached before the fetch stops being shared, so no caller can find neither and fetch again.
            if (result.Policy is { } fetched) Store(domain, new CacheEntry(fetched, _time.GetUtcNow() + fetched.MaxAge));
            mine.SetResult(result);
            return result;
        }
        catch (Exception e)
        {
            mine.SetException(e);
            throw;
        }
        finally
        {
            _fetching.TryRemove(key, out _);
        }
    }

    private void Store(string domain, CacheEntry entry)
    {
        if (_cache.Count >= _capacity && !_cache.ContainsKey(domain))
        {
            Evict();
        }
        _cache[domain] = entry;
    }

    /// <summary>Drops expired entries, then, if still full, the tenth expiring soonest, so eviction runs rarely.</summary>
    private void Evict()
    {
        var now = _time.GetUtcNow();
        foreach (var (domain, entry) in _cache)
        {
            if (entry.Expires <= now)
            {
                _cache.TryRemove(domain, out _);
            }
        }
        var excess = _cache.Count - _capacity + Math.Max(1, _capacity / 10);
        if (excess <= 0)
        {
            return;
        }
        foreach (var (domain, _) in _cache.OrderBy(e => e.Value.Expires).Take(excess).ToList())
        {
            _cache.TryRemove(domain, out _);
        }
    }

    private sealed record CacheEntry(MtaStsPolicy? Policy, DateTimeOffset Expires);
}
