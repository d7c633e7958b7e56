using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Outbound;
using Mail.Grains.Outbound;
using Mail.Grains.Outbound.Dns;
using Mail.Storage.Keys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mail.Grains.Reputation;

/// <summary>Owns a sending domain's DKIM keys (sealed at rest), the records to publish, their checks and key rotation.</summary>
public sealed class SendingDomainGrain(
    [PersistentState("sending-domain", Interfaces.Names.GrainStorage)] IPersistentState<SendingDomainState> state,
    IOptions<OutboundOptions> options,
    ITenantKeyStore tenantKeys,
    IServiceProvider services) : Grain, ISendingDomainGrain
{
    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(30);

    private string Domain => this.GetPrimaryKeyString();

    private string Hostname => options.Value.Hostname.TrimEnd('.').ToLowerInvariant();

    /// <summary>
    /// How long a replaced key stays listed: mail is signed when queued and may be delivered until the
    /// queue lifetime ends, and verifiers may look the key up a while after that.
    /// </summary>
    private TimeSpan RetiredListing => TimeSpan.FromHours(options.Value.QueueLifetimeHours) + TimeSpan.FromDays(2);

    private IEnumerable<DkimKeyState> Active => state.State.Keys.Where(k => k.Generation == state.State.ActiveGeneration);

    private IEnumerable<DkimKeyState> Pending => state.State.Keys.Where(k => k.Generation > state.State.ActiveGeneration);

    /// <inheritdoc />
    public Task EnsureKeysAsync() => EnsureKeysCoreAsync();

    /// <inheritdoc />
    public async Task<IReadOnlyList<DnsRecordInfo>> GetDnsRecordsAsync()
    {
        // Domains claimed before keys existed get them the first time anyone looks.
        await EnsureKeysCoreAsync();
        return Records();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DnsRecordInfo>> VerifyAsync()
    {
        await EnsureKeysCoreAsync();
        // Resolved here, not injected: verification is the only use of DNS, so a silo composed without
        // an outbound resolver can still create keys and list records.
        var dns = services.GetRequiredService<IMailDns>();
        using var timeout = new CancellationTokenSource(LookupTimeout);
        var now = DateTimeOffset.UtcNow;
        var lookups = Records().DistinctBy(r => SendingDomainRecords.CheckKey(r.Type, r.Name))
            .Select(async r => (Record: r, Status: await CheckOrFailAsync(dns, r, timeout.Token)))
            .ToArray();
        foreach (var (record, status) in await Task.WhenAll(lookups))
        {
            state.State.Checks[SendingDomainRecords.CheckKey(record.Type, record.Name)] =
                new RecordCheckState { Value = record.Value, Status = status, CheckedAt = now };
        }
        PromoteVerifiedRotation(now);
        PruneRetired(now);
        await state.WriteStateAsync();
        return Records();
    }

    /// <inheritdoc />
    public Task<bool> IsDkimVerifiedAsync()
    {
        // RSA is what every verifier checks (RFC 8463 §1 keeps it alongside Ed25519), so its record decides.
        var rsa = Active.FirstOrDefault(k => k.Algorithm == DkimKeyFactory.Rsa);
        return Task.FromResult(rsa is not null && IsVerified(rsa));
    }

    /// <inheritdoc />
    public Task<SenderAuthentication> GetAuthenticationAsync()
    {
        var records = Records();
        string StatusOf(string purpose) => records.FirstOrDefault(r => r.Purpose == purpose)?.Status ?? DnsRecordStatuses.Unverified;
        // The DKIM status is the signing RSA key's record, as IsDkimVerifiedAsync decides.
        var rsa = Active.FirstOrDefault(k => k.Algorithm == DkimKeyFactory.Rsa);
        var dkim = rsa is null ? DnsRecordStatuses.Missing
            : records.FirstOrDefault(r => r.Name == SendingDomainRecords.DkimName(rsa.Selector, Domain))?.Status ?? DnsRecordStatuses.Unverified;
        return Task.FromResult(new SenderAuthentication(StatusOf(DnsRecordPurposes.Spf), dkim, StatusOf(DnsRecordPurposes.Dmarc)));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DnsRecordInfo>> RotateAsync()
    {
        await EnsureKeysCoreAsync();
        if (!Pending.Any())
        {
            var tenantKey = await tenantKeys.GetCurrentAsync(state.State.TenantId!, CancellationToken.None);
            foreach (var algorithm in Algorithms())
            {
                state.State.Keys.Add(NewKey(tenantKey, algorithm, state.State.ActiveGeneration + 1));
            }
            await state.WriteStateAsync();
        }
        return Records();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DkimSigningKey>> GetSigningKeysAsync()
    {
        if (state.State.TenantId is not { } tenantId) return [];
        var keys = new List<DkimSigningKey>();
        foreach (var k in Active.ToArray())
        {
            keys.Add(new DkimSigningKey(k.Selector, k.Algorithm,
                await DkimKeySealer.OpenAsync(tenantKeys, tenantId, Domain, k.Selector, k.SealedPrivateKey, CancellationToken.None)));
        }
        return keys;
    }

    private async Task EnsureKeysCoreAsync()
    {
        var owner = await GrainFactory.GetGrain<IDomainGrain>(Domain).GetAsync()
            ?? throw new MailException(MailErrorCode.NotFound, $"Domain {Domain} is not hosted here.");
        var changed = false;
        if (state.State.TenantId != owner.TenantId)
        {
            // A domain that changed hands starts over: its next owner must not sign with the last one's keys.
            state.State = new SendingDomainState { TenantId = owner.TenantId };
            changed = true;
        }
        var tenantKey = await tenantKeys.GetCurrentAsync(owner.TenantId, CancellationToken.None);
        var generations = Pending.Select(k => k.Generation).Append(state.State.ActiveGeneration).Distinct().ToArray();
        foreach (var generation in generations)
        {
            foreach (var algorithm in Algorithms())
            {
                if (state.State.Keys.Any(k => k.Generation == generation && k.Algorithm == algorithm)) continue;
                state.State.Keys.Add(NewKey(tenantKey, algorithm, generation));
                changed = true;
            }
        }
        if (changed) await state.WriteStateAsync();
    }

    private IEnumerable<string> Algorithms() =>
        options.Value.Ed25519 ? [DkimKeyFactory.Rsa, DkimKeyFactory.Ed25519] : [DkimKeyFactory.Rsa];

    private DkimKeyState NewKey(TenantKey tenantKey, string algorithm, int generation)
    {
        var now = DateTimeOffset.UtcNow;
        var selector = DkimKeyFactory.NewSelector(algorithm, now);
        var (privateKey, publicKey) = DkimKeyFactory.Create(algorithm);
        return new DkimKeyState
        {
            Selector = selector,
            Algorithm = algorithm,
            Generation = generation,
            PublicKey = publicKey,
            SealedPrivateKey = DkimKeySealer.Seal(tenantKey, Domain, selector, privateKey),
            CreatedAt = now,
        };
    }

    /// <summary>Switches signing to the rotated keys once all of their records are found; the old keys retire, still listed.</summary>
    private void PromoteVerifiedRotation(DateTimeOffset now)
    {
        var pending = Pending.ToArray();
        if (pending.Length == 0 || !pending.All(IsVerified)) return;
        foreach (var key in Active) key.RetiredAt = now;
        state.State.ActiveGeneration = pending.Max(k => k.Generation);
    }

    private void PruneRetired(DateTimeOffset now)
    {
        foreach (var key in state.State.Keys.Where(k => k.RetiredAt + RetiredListing <= now).ToArray())
        {
            state.State.Keys.Remove(key);
            state.State.Checks.Remove(SendingDomainRecords.CheckKey("TXT", SendingDomainRecords.DkimName(key.Selector, Domain)));
        }
    }

    private bool IsVerified(DkimKeyState key) =>
        state.State.Checks.TryGetValue(SendingDomainRecords.CheckKey("TXT", SendingDomainRecords.DkimName(key.Selector, Domain)), out var check)
        && check.Value == SendingDomainRecords.Dkim(key) && check.Status == DnsRecordStatuses.Verified;

    private IReadOnlyList<DnsRecordInfo> Records() =>
        SendingDomainRecords.List(Domain, Hostname, state.State, DateTimeOffset.UtcNow, RetiredListing);

    private async Task<string> CheckOrFailAsync(IMailDns dns, DnsRecordInfo record, CancellationToken ct)
    {
        try
        {
            return await DnsRecordCheck.CheckAsync(dns, record, Hostname, ct);
        }
        catch (OperationCanceledException)
        {
            return DnsRecordStatuses.LookupFailed;
        }
    }
}
