using System.Security.Cryptography;
using Mail.Grains.Reputation.Unsubscribe;
using Mail.Storage.Keys;

namespace Mail.Protocol.Tests.Bulk;

public class UnsubscribeTokenTests
{
    private readonly TenantKeys _keys = new();

    [Fact]
    public async Task ATokenNamesItsTenantAndRecipientAndSurvivesCaseFolding()
    {
        var tokens = new UnsubscribeTokens(_keys);
        var token = (await tokens.SignerAsync("shop.test", default)).Issue("Ann@Example.TEST");

        Assert.Matches("^[0-9a-v]+$", token);
        var target = await tokens.VerifyAsync(token, default);
        Assert.Equal(("shop.test", "ann@example.test"), (target!.TenantId, target.Address));
        // A relay that upper-cases a local part (mailto: unsubscribe+TOKEN@...) does not break it.
        Assert.Equal(target, await tokens.VerifyAsync(token.ToUpperInvariant(), default));
    }

    [Fact]
    public async Task AChangedOrForeignTokenDoesNotVerify()
    {
        var tokens = new UnsubscribeTokens(_keys);
        var token = (await tokens.SignerAsync("shop.test", default)).Issue("ann@example.test");
        var flipped = token[..10] + (token[10] == '0' ? '1' : '0') + token[11..];

        Assert.Null(await tokens.VerifyAsync(flipped, default));
        Assert.Null(await tokens.VerifyAsync(token[..^1], default));
        Assert.Null(await tokens.VerifyAsync("not-base32!", default));
        Assert.Null(await tokens.VerifyAsync("", default));

        // Another tenant's token relabelled as shop.test's: it is signed with the other tenant's key, so it fails.
        var other = (await tokens.SignerAsync("shoe.test", default)).Issue("ann@example.test");
        Assert.Equal("shoe.test", (await tokens.VerifyAsync(other, default))!.TenantId);
        Assert.True(Base32Hex.TryDecode(other, out var bytes));
        var relabelled = Base32Hex.Encode(Relabel(bytes, "shoe.test", "shop.test"));
        Assert.Null(await tokens.VerifyAsync(relabelled, default));
    }

    [Fact]
    public async Task TokensMadeBeforeATenantKeyRotationStillVerify()
    {
        var tokens = new UnsubscribeTokens(_keys);
        var before = (await tokens.SignerAsync("shop.test", default)).Issue("ann@example.test");
        _keys.Rotate("shop.test");
        var after = (await tokens.SignerAsync("shop.test", default)).Issue("ann@example.test");

        Assert.NotEqual(before, after);
        Assert.NotNull(await tokens.VerifyAsync(before, default));
        Assert.NotNull(await tokens.VerifyAsync(after, default));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0xff })]
    [InlineData(new byte[] { 1, 2, 3, 4, 5 })]
    [InlineData(new byte[] { 0, 0x80, 0x7f, 0x10, 0x20, 0x33, 0x99, 0xaa })]
    public void Base32HexRoundTrips(byte[] bytes)
    {
        Assert.True(Base32Hex.TryDecode(Base32Hex.Encode(bytes), out var back));
        Assert.Equal(bytes, back);
    }

    /// <summary>Tenant keys in memory, versioned as the real store versions them.</summary>
    private sealed class TenantKeys : ITenantKeyStore
    {
        private readonly Dictionary<string, List<byte[]>> _keys = [];

        public void Rotate(string tenantId) => _keys[tenantId].Add(RandomNumberGenerator.GetBytes(32));

        public ValueTask<TenantKey> GetCurrentAsync(string tenantId, CancellationToken ct)
        {
            if (!_keys.TryGetValue(tenantId, out var versions)) _keys[tenantId] = versions = [RandomNumberGenerator.GetBytes(32)];
            return ValueTask.FromResult(new TenantKey(versions.Count, versions[^1]));
        }

        public ValueTask<byte[]> GetAsync(string tenantId, int version, CancellationToken ct) =>
            _keys.TryGetValue(tenantId, out var versions) && version >= 1 && version <= versions.Count
                ? ValueTask.FromResult(versions[version - 1])
                : throw new TenantKeyNotFoundException(tenantId, version);
    }

    /// <summary>Rewrites the tenant named in a token's bytes (same length), keeping its signature.</summary>
    private static byte[] Relabel(byte[] token, string from, string to)
    {
        Assert.Equal(from.Length, to.Length);
        var copy = (byte[])token.Clone();
        System.Text.Encoding.UTF8.GetBytes(to).CopyTo(copy, 4);
        return copy;
    }
}
