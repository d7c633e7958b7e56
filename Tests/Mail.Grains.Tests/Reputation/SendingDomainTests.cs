using System.Security.Cryptography;
using System.Text;
using Mail.Grains.Interfaces.Errors;
using Mail.Grains.Interfaces.Outbound;
using Mail.Grains.Reputation;
using Mail.Grains.Tests.Accounts;
using Mail.Grains.Tests.Infrastructure;
using Mail.Storage.Keys;
using Microsoft.Extensions.DependencyInjection;

namespace Mail.Grains.Tests.Reputation;

/// <summary>Sending domains: keys and their sealing, the records to publish, verification through DNS, rotation.</summary>
[Collection(MailClusterCollection.Name)]
public sealed class SendingDomainTests(MailClusterFixture fixture)
{
    private const string Host = MailClusterFixture.OutboundHostname;

    [Fact]
    public async Task KeysAreMadeOnceAndTheRecordsToPublishAreListed()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var domain = fixture.Grains.GetGrain<ISendingDomainGrain>(tenant.Domain);

        await domain.EnsureKeysAsync();
        await domain.EnsureKeysAsync();
        var records = await domain.GetDnsRecordsAsync();

        Assert.Equal(
            [
                ("MX", tenant.Domain, $"10 {Host}", "inbound"),
                ("MX", tenant.Domain, $"10 {Host}", "return-path"),
                ("TXT", tenant.Domain, $"v=spf1 a:{Host} -all", "spf"),
                ("TXT", $"_dmarc.{tenant.Domain}", $"v=DMARC1; p=none; rua=mailto:dmarc-reports@{tenant.Domain}", "dmarc"),
            ],
            records.Where(r => r.Purpose != "dkim").Select(r => (r.Type, r.Name, r.Value, r.Purpose)));
        var dkim = Assert.Single(records, r => r.Purpose == "dkim");
        Assert.Matches($@"^rsa\d{{8}}[0-9a-f]{{6}}\._domainkey\.{tenant.Domain.Replace(".", "\\.")}$", dkim.Name);
        Assert.StartsWith("v=DKIM1; k=rsa; p=", dkim.Value);
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(dkim.Value["v=DKIM1; k=rsa; p=".Length..]), out _);
        Assert.Equal(2048, rsa.KeySize);
        Assert.All(records, r => Assert.Equal(("unverified", (DateTimeOffset?)null), (r.Status, r.CheckedAt)));

        var key = Assert.Single(await domain.GetSigningKeysAsync());
        Assert.Equal((dkim.Name.Split('.')[0], "rsa"), (key.Selector, key.Algorithm));
        using var signing = RSA.Create();
        signing.ImportPkcs8PrivateKey(key.PrivateKeyPkcs8, out _);
        Assert.Equal(rsa.ExportSubjectPublicKeyInfo(), signing.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task PrivateKeyIsStoredSealedUnderTheTenantKeyAndBoundToItsSelector()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var domain = fixture.Grains.GetGrain<ISendingDomainGrain>(tenant.Domain);
        await domain.EnsureKeysAsync();
        var key = Assert.Single(await domain.GetSigningKeysAsync());

        await using var connection = await fixture.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload_binary FROM orleans_storage WHERE position(convert_to(@selector, 'UTF8') in payload_binary) > 0";
        command.Parameters.AddWithValue("selector", key.Selector);
        var row = Assert.IsType<byte[]>(await command.ExecuteScalarAsync());
        var stored = Encoding.UTF8.GetString(row);

        Assert.Contains(key.Selector, stored);
        Assert.DoesNotContain(Convert.ToBase64String(key.PrivateKeyPkcs8), stored);
        Assert.DoesNotContain(Convert.ToBase64String(key.PrivateKeyPkcs8[^64..]), stored);
        Assert.False(row.AsSpan().IndexOf(key.PrivateKeyPkcs8.AsSpan(^64..)) >= 0);
        var sealedKey = Convert.FromBase64String(System.Text.Json.JsonDocument.Parse(stored).RootElement
            .GetProperty("keys")[0].GetProperty("sealedPrivateKey").GetString()!);
        var keys = fixture.SiloServices.GetRequiredService<ITenantKeyStore>();
        var tenantKey = await keys.GetAsync(tenant.TenantId, TenantKey.FirstVersion, CancellationToken.None);
        Assert.Equal(key.PrivateKeyPkcs8, DkimKeySealer.Open(tenantKey, tenant.Domain, key.Selector, sealedKey));
        Assert.ThrowsAny<CryptographicException>(() => DkimKeySealer.Open(tenantKey, tenant.Domain, key.Selector + "x", sealedKey));
        Assert.ThrowsAny<CryptographicException>(() => DkimKeySealer.Open(tenantKey, "other.test", key.Selector, sealedKey));
    }

    [Fact]
    public async Task DomainNotHostedHereGetsNoKeys()
    {
        var domain = fixture.Grains.GetGrain<ISendingDomainGrain>(TestTenant.FreshDomain());

        var error = await Assert.ThrowsAsync<MailException>(() => domain.EnsureKeysAsync());

        Assert.Equal(MailErrorCode.NotFound, error.Code);
        Assert.Empty(await domain.GetSigningKeysAsync());
        Assert.False(await domain.IsDkimVerifiedAsync());
    }

    [Fact]
    public async Task VerifyFindsPublishedRecordsAndTellsMissingFromMismatched()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var domain = fixture.Grains.GetGrain<ISendingDomainGrain>(tenant.Domain);
        var records = await domain.GetDnsRecordsAsync();
        var dkim = records.Single(r => r.Purpose == "dkim");
        var published = new[]
        {
            records[0],
            dkim,
            records.Single(r => r.Purpose == "spf") with { Value = "v=spf1 a:elsewhere.test -all" },
        };

        IReadOnlyList<DnsRecordInfo> verified;
        using (PublishedRecords.On(fixture.Dns, published))
        {
            verified = await domain.VerifyAsync();
        }

        Assert.Equal(
            [("inbound", "verified"), ("return-path", "verified"), ("spf", "mismatch"), ("dkim", "verified"), ("dmarc", "missing")],
            verified.Select(r => (r.Purpose, r.Status)));
        Assert.All(verified, r => Assert.NotNull(r.CheckedAt));
        Assert.True(await domain.IsDkimVerifiedAsync());
        Assert.Equal(verified, await domain.GetDnsRecordsAsync());

        var otherKey = Convert.ToBase64String(RSA.Create(2048).ExportSubjectPublicKeyInfo());
        using (PublishedRecords.On(fixture.Dns, dkim with { Value = $"v=DKIM1; k=rsa; p={otherKey}" }))
        {
            verified = await domain.VerifyAsync();
        }
        Assert.Equal("mismatch", verified.Single(r => r.Purpose == "dkim").Status);
        Assert.Equal("missing", verified.Single(r => r.Purpose == "inbound").Status);
        Assert.False(await domain.IsDkimVerifiedAsync());
    }

    [Fact]
    public async Task AuthenticationStatusNamesSpfDkimAndDmarcAndNeedsAllThreeVerified()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var domain = fixture.Grains.GetGrain<ISendingDomainGrain>(tenant.Domain);
        var records = await domain.GetDnsRecordsAsync();
        Assert.Equal(new SenderAuthentication("unverified", "unverified", "unverified"), await domain.GetAuthenticationAsync());

        using (PublishedRecords.On(fixture.Dns, records.Where(r => r.Purpose is "spf" or "dkim").ToArray()))
        {
            await domain.VerifyAsync();
        }
        var partial = await domain.GetAuthenticationAsync();
        Assert.Equal(new SenderAuthentication("verified", "verified", "missing"), partial);
        Assert.False(partial.AllVerified);

        using (PublishedRecords.On(fixture.Dns, records.Where(r => r.Purpose is "spf" or "dkim").Append(
                   records.Single(r => r.Purpose == "dmarc") with { Value = "v=DMARC1; p=reject" }).ToArray()))
        {
            await domain.VerifyAsync();
        }
        // Any one valid DMARC record will do: a stricter policy than the suggested one is still a policy.
        Assert.True((await domain.GetAuthenticationAsync()).AllVerified);
    }

    [Fact]
    public async Task UnansweredLookupsAreReportedAsFailedNotMissing()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var domain = fixture.Grains.GetGrain<ISendingDomainGrain>(tenant.Domain);
        await domain.EnsureKeysAsync();

        var names = (await domain.GetDnsRecordsAsync()).Select(r => r.Name).Distinct().ToArray();
        foreach (var name in names) fixture.Dns.SetServFail(name);
        IReadOnlyList<DnsRecordInfo> verified;
        try
        {
            verified = await domain.VerifyAsync();
        }
        finally
        {
            foreach (var name in names) fixture.Dns.SetServFail(name, false);
        }

        Assert.All(verified, r => Assert.Equal("lookup-failed", r.Status));
        Assert.False(await domain.IsDkimVerifiedAsync());
    }

    [Fact]
    public async Task RotationKeepsSigningWithTheOldKeyUntilTheNewRecordVerifies()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var domain = fixture.Grains.GetGrain<ISendingDomainGrain>(tenant.Domain);
        var old = (await domain.GetDnsRecordsAsync()).Single(r => r.Purpose == "dkim");
        var oldSelector = old.Name.Split('.')[0];

        var rotating = await domain.RotateAsync();
        Assert.Equal(rotating, await domain.RotateAsync());
        var keys = rotating.Where(r => r.Purpose == "dkim").ToArray();
        Assert.Equal(2, keys.Length);
        Assert.Equal(old, keys[0]);
        var fresh = keys[1];
        Assert.Equal(oldSelector, Assert.Single(await domain.GetSigningKeysAsync()).Selector);

        using (PublishedRecords.On(fixture.Dns, old))
        {
            await domain.VerifyAsync();
        }
        Assert.Equal(oldSelector, Assert.Single(await domain.GetSigningKeysAsync()).Selector);
        Assert.True(await domain.IsDkimVerifiedAsync());

        IReadOnlyList<DnsRecordInfo> switched;
        using (PublishedRecords.On(fixture.Dns, old, fresh))
        {
            switched = await domain.VerifyAsync();
        }
        Assert.Equal(fresh.Name.Split('.')[0], Assert.Single(await domain.GetSigningKeysAsync()).Selector);
        Assert.True(await domain.IsDkimVerifiedAsync());
        Assert.Equal(
            [(fresh.Name, "dkim", "verified"), (old.Name, "dkim-retired", "verified")],
            switched.Where(r => r.Purpose.StartsWith("dkim", StringComparison.Ordinal)).Select(r => (r.Name, r.Purpose, r.Status)));
    }

    [Fact]
    public async Task DkimKeysSealedUnderAnOlderTenantKeyStillSignAfterTheTenantKeyRotates()
    {
        var tenant = await TestTenant.CreateAsync(fixture.Grains);
        var domain = fixture.Grains.GetGrain<ISendingDomainGrain>(tenant.Domain);
        await domain.EnsureKeysAsync();
        var before = Assert.Single(await domain.GetSigningKeysAsync());
        var keys = (PostgresTenantKeyStore)fixture.SiloServices.GetRequiredService<ITenantKeyStore>();

        var rotated = await keys.RotateAsync(tenant.TenantId, CancellationToken.None);
        await domain.RotateAsync();

        Assert.Equal(TenantKey.FirstVersion + 1, rotated.Version);
        var after = Assert.Single(await domain.GetSigningKeysAsync());
        Assert.Equal(before.Selector, after.Selector);
        Assert.Equal(before.PrivateKeyPkcs8, after.PrivateKeyPkcs8);
        var sealedKeys = await SealedKeysAsync(before.Selector);
        Assert.Equal([TenantKey.FirstVersion, rotated.Version], sealedKeys.Select(k => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(k.AsSpan(1))));
        Assert.Throws<AuthenticationTagMismatchException>(() => DkimKeySealer.Open(rotated.Key, tenant.Domain, before.Selector, sealedKeys[0]));
        Assert.Equal(before.PrivateKeyPkcs8, DkimKeySealer.Open(
            await keys.GetAsync(tenant.TenantId, TenantKey.FirstVersion, CancellationToken.None), tenant.Domain, before.Selector, sealedKeys[0]));
    }

    /// <summary>The sealed private keys in the persisted state of the sending domain that has <paramref name="selector"/>, in state order.</summary>
    private async Task<byte[][]> SealedKeysAsync(string selector)
    {
        await using var connection = await fixture.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload_binary FROM orleans_storage WHERE position(convert_to(@selector, 'UTF8') in payload_binary) > 0";
        command.Parameters.AddWithValue("selector", selector);
        var row = Assert.IsType<byte[]>(await command.ExecuteScalarAsync());
        return System.Text.Json.JsonDocument.Parse(row).RootElement.GetProperty("keys").EnumerateArray()
            .Select(k => Convert.FromBase64String(k.GetProperty("sealedPrivateKey").GetString()!)).ToArray();
    }
}
