using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mail.Grains.Outbound.Dns;

namespace Mail.Grains.Tests.Outbound;

/// <summary>The certificate decision the SMTP client makes per MX host: PKIX (RFC 8461 §4.2, RFC 6125) and DANE (RFC 7672 §3.1).</summary>
public sealed class TlsCertificateCheckTests : IDisposable
{
    private readonly TestCertificates _ca = new();

    public void Dispose() => _ca.Dispose();

    private X509Certificate2Collection Roots => [_ca.Root];

    private static TlsRequirement Pkix => new(TlsMode.RequirePkix, [], "test");

    private static TlsRequirement Dane(byte usage, byte selector, byte matching, byte[] data) =>
        new(TlsMode.Dane, [new TlsaRecord(usage, selector, matching, data)], "test");

    private static byte[] SpkiSha256(X509Certificate2 certificate) => SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo());

    /// <summary>A chain as SslStream hands it over: the server's extra certificates in the extra store, built against nothing trusted.</summary>
    private static X509Chain Presented(X509Certificate2 leaf, params X509Certificate2[] extra)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ExtraStore.AddRange(extra);
        chain.Build(leaf);
        return chain;
    }

    private bool Check(TlsRequirement requirement, string host, X509Certificate2? leaf, X509Chain? chain, out string reason) =>
        TlsCertificateCheck.IsAcceptable(requirement, host, leaf, chain, SslPolicyErrors.None, Roots, out reason);

    [Fact]
    public void OpportunisticAcceptsAnything()
    {
        Assert.True(TlsCertificateCheck.IsAcceptable(TlsRequirement.None, "mx.test", null, null, SslPolicyErrors.RemoteCertificateNotAvailable, out _));
        Assert.True(TlsCertificateCheck.IsAcceptable(TlsRequirement.None, "mx.test", TestCertificates.SelfSigned("other.test"), null,
            SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch, out _));
    }

    [Fact]
    public void PkixAcceptsACertificateFromAnExtraRootForTheMxName()
    {
        var leaf = _ca.Issue("mx.pkix.test");

        Assert.True(Check(Pkix, "mx.pkix.test", leaf, null, out var reason), reason);
    }

    [Fact]
    public void PkixRefusesAnotherName()
    {
        var leaf = _ca.Issue("mx.other.test");

        Assert.False(Check(Pkix, "mx.pkix.test", leaf, null, out var reason));
        Assert.Contains("does not name mx.pkix.test", reason);
    }

    [Theory]
    [InlineData("mx.pkix.test", true)]
    [InlineData("pkix.test", false)]
    [InlineData("a.mx.pkix.test", false)]
    public void PkixWildcardCoversExactlyOneLabel(string host, bool accepted)
    {
        var leaf = _ca.Issue("*.pkix.test");

        Assert.Equal(accepted, Check(Pkix, host, leaf, null, out _));
    }

    [Fact]
    public void PkixRefusesAnUntrustedRootAndAnExpiredCertificate()
    {
        var untrusted = TlsCertificateCheck.IsAcceptable(Pkix, "mx.pkix.test", _ca.Issue("mx.pkix.test"), null, SslPolicyErrors.None, out var reason);
        var expired = _ca.Issue(DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1), "mx.pkix.test");

        Assert.False(untrusted);
        Assert.Contains("not PKIX-valid", reason);
        Assert.False(Check(Pkix, "mx.pkix.test", expired, null, out _));
    }

    [Fact]
    public void DaneEeMatchesTheServerKeyIgnoringNameAndExpiry()
    {
        var leaf = TestCertificates.SelfSigned("whatever.invalid");
        var expired = _ca.Issue(DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1), "whatever.invalid");

        Assert.True(Check(Dane(3, 1, 1, SpkiSha256(leaf)), "mx.dane.test", leaf, null, out var reason), reason);
        Assert.True(Check(Dane(3, 1, 1, SpkiSha256(expired)), "mx.dane.test", expired, null, out _));
    }

    [Fact]
    public void DaneEeRefusesAnotherKey()
    {
        var leaf = TestCertificates.SelfSigned("mx.dane.test");
        var other = TestCertificates.SelfSigned("mx.dane.test");

        Assert.False(Check(Dane(3, 1, 1, SpkiSha256(other)), "mx.dane.test", leaf, null, out var reason));
        Assert.Contains("no TLSA record", reason);
    }

    [Fact]
    public void DaneEeAlsoMatchesFullCertificateAndSha512()
    {
        var leaf = TestCertificates.SelfSigned("mx.dane.test");

        Assert.True(Check(Dane(3, 0, 1, SHA256.HashData(leaf.RawData)), "mx.dane.test", leaf, null, out _));
        Assert.True(Check(Dane(3, 1, 2, SHA512.HashData(leaf.PublicKey.ExportSubjectPublicKeyInfo())), "mx.dane.test", leaf, null, out _));
    }

    [Fact]
    public void DaneTaMatchesAPresentedIssuerAndChecksTheMxName()
    {
        var leaf = _ca.Issue("mx.dane.test");
        using var chain = Presented(leaf, _ca.Root);
        var requirement = Dane(2, 1, 1, SpkiSha256(_ca.Root));

        // No extra roots: DANE-TA needs no PKIX root, the TLSA record is the trust anchor.
        Assert.True(TlsCertificateCheck.IsAcceptable(requirement, "mx.dane.test", leaf, chain, SslPolicyErrors.RemoteCertificateChainErrors, out var reason), reason);
        Assert.False(TlsCertificateCheck.IsAcceptable(requirement, "mx.other.test", leaf, chain, SslPolicyErrors.None, out _));
    }

    [Fact]
    public void DaneTaRefusesWhenTheAnchorIsNotPresentedOrIsAnotherCa()
    {
        using var stranger = new TestCertificates("Stranger CA");
        var leaf = stranger.Issue("mx.dane.test");
        using var chain = Presented(leaf, stranger.Root);

        Assert.False(Check(Dane(2, 1, 1, SpkiSha256(_ca.Root)), "mx.dane.test", leaf, chain, out _));
        Assert.False(Check(Dane(2, 1, 1, SpkiSha256(stranger.Root)), "mx.dane.test", leaf, null, out _));
        // The pinned CA is presented, but it did not sign this leaf.
        using var bothCas = Presented(leaf, stranger.Root, _ca.Root);
        Assert.False(Check(Dane(2, 1, 1, SpkiSha256(_ca.Root)), "mx.dane.test", leaf, bothCas, out _));
    }

    [Fact]
    public void DaneWithOnlyUnusableRecordsRefuses()
    {
        var leaf = TestCertificates.SelfSigned("mx.dane.test");

        Assert.False(Check(Dane(1, 1, 1, SpkiSha256(leaf)), "mx.dane.test", leaf, null, out var reason));
        Assert.Contains("no usable TLSA", reason);
    }

    [Fact]
    public async Task ChecksHoldOverARealHandshake()
    {
        // As deployed: a leaf from an intermediate the server sends along; DANE-TA usually pins that intermediate.
        var (leaf, intermediate) = _ca.IssueWithIntermediate("mx.real.test");
        var serverContext = SslStreamCertificateContext.Create(leaf, [intermediate], offline: true);

        Assert.True(await HandshakeAsync(serverContext, Dane(2, 1, 1, SpkiSha256(intermediate)), "mx.real.test"));
        Assert.True(await HandshakeAsync(serverContext, Dane(3, 1, 1, SpkiSha256(leaf)), "mx.real.test"));
        Assert.True(await HandshakeAsync(serverContext, Pkix, "mx.real.test"));
        Assert.False(await HandshakeAsync(serverContext, Pkix, "mx.wrong.test"));
        Assert.False(await HandshakeAsync(serverContext, Dane(2, 1, 1, SpkiSha256(intermediate)), "mx.wrong.test"));
        Assert.False(await HandshakeAsync(serverContext, Dane(3, 1, 1, SpkiSha256(intermediate)), "mx.real.test"));
    }

    /// <summary>TLS over loopback with the check as the client's certificate callback; true when the handshake succeeded.</summary>
    private async Task<bool> HandshakeAsync(SslStreamCertificateContext serverContext, TlsRequirement requirement, string mxHost)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var accepted = await listener.AcceptTcpClientAsync();
        await using var serverTls = new SslStream(accepted.GetStream());
        await using var clientTls = new SslStream(client.GetStream());

        var serverSide = serverTls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = serverContext });
        try
        {
            await clientTls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = mxHost,
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                    TlsCertificateCheck.IsAcceptable(requirement, mxHost, certificate as X509Certificate2, chain, errors, Roots, out string _),
            });
            await serverSide;
            return true;
        }
        catch (AuthenticationException)
        {
            // The server may or may not notice, depending on the TLS version: only the client's verdict matters here.
            await Record.ExceptionAsync(() => serverSide);
            return false;
        }
    }
}
