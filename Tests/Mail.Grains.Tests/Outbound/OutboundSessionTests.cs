using System.Net;
using System.Security.Cryptography.X509Certificates;
using Mail.Grains.Outbound.Dns;
using Mail.Grains.Outbound.Smtp;
using static Mail.Grains.Tests.Outbound.SmtpTestKit;

namespace Mail.Grains.Tests.Outbound;

/// <summary>Session-level behaviour of the outbound SMTP client: STARTTLS and its policy, AUTH, source binding, failures of the whole connection.</summary>
public sealed class OutboundSessionTests
{
    private static readonly X509Certificate2 Certificate = TestCertificate.Create(MxName);
    private static readonly TlsRequirement MtaSts = new(TlsMode.RequirePkix, [], "MTA-STS policy of receiver.test");

    [Fact]
    public async Task StartTlsIsUsedWhenOfferedAndTheCheckSeesTheServerCertificate()
    {
        await using var receiver = TestSmtpReceiver.Start(new TestSmtpReceiverOptions { Certificate = Certificate });
        string? seen = null;
        ServerCertificateCheck check = (certificate, _, _, out reason) =>
        {
            seen = certificate?.Thumbprint;
            reason = "";
            return true;
        };
        await using var connection = await OutboundConnection.OpenAsync(Endpoint(receiver, MtaSts, check), Options(), CancellationToken.None);

        await connection.SendAsync(Message(Content("secret")), CancellationToken.None);

        Assert.True((await receiver.WaitForMessageAsync(Wait)).Tls);
        Assert.Equal(Certificate.Thumbprint, seen);
        Assert.StartsWith("Tls", connection.TlsDescription);
    }

    [Fact]
    public async Task RequiredTlsNotOfferedFailsTheConnection()
    {
        await using var receiver = TestSmtpReceiver.Start();

        var failure = await Assert.ThrowsAsync<OutboundConnectionException>(() =>
            OutboundConnection.OpenAsync(Endpoint(receiver, MtaSts), Options(), CancellationToken.None));

        Assert.False(failure.Permanent);
        Assert.StartsWith("TLS required by MTA-STS policy of receiver.test but not offered", failure.Message);
        Assert.DoesNotContain(receiver.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefusedCertificateFailsTheConnection()
    {
        await using var receiver = TestSmtpReceiver.Start(new TestSmtpReceiverOptions { Certificate = Certificate });
        ServerCertificateCheck check = (_, _, _, out reason) =>
        {
            reason = "no TLSA record matches";
            return false;
        };
        var dane = new TlsRequirement(TlsMode.Dane, [new TlsaRecord(3, 1, 1, new byte[32])], "DANE TLSA of mx.receiver.test");

        var failure = await Assert.ThrowsAsync<OutboundConnectionException>(() =>
            OutboundConnection.OpenAsync(Endpoint(receiver, dane, check), Options(), CancellationToken.None));

        Assert.False(failure.Permanent);
        Assert.Contains("no TLSA record matches", failure.Message);
        Assert.DoesNotContain(receiver.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SelfSignedCertificateFailsPkixWithoutACallerCheck()
    {
        await using var receiver = TestSmtpReceiver.Start(new TestSmtpReceiverOptions { Certificate = Certificate });

        var failure = await Assert.ThrowsAsync<OutboundConnectionException>(() =>
            OutboundConnection.OpenAsync(Endpoint(receiver, MtaSts), Options(), CancellationToken.None));

        Assert.Contains("RemoteCertificateChainErrors", failure.Message);
    }

    [Fact]
    public async Task RelayAuthenticatesOverTls()
    {
        await using var receiver = TestSmtpReceiver.Start(new TestSmtpReceiverOptions { Certificate = Certificate, AuthUser = "relay-user", AuthPassword = "pa55" });
        var endpoint = Endpoint(receiver, credentials: new SmtpCredentials("relay-user", "pa55"));
        await using var connection = await OutboundConnection.OpenAsync(endpoint, Options(), CancellationToken.None);

        var result = await connection.SendAsync(Message(Content("relayed")), CancellationToken.None);

        var received = await receiver.WaitForMessageAsync(Wait);
        Assert.True(result.AllAccepted);
        Assert.Equal(("relay-user", true), (received.AuthenticatedUser, received.Tls));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task AuthOverPlaintextOnlyToALoopbackRelayThatDoesNotRequireTls(bool relayRequireTls, bool authenticates)
    {
        await using var receiver = TestSmtpReceiver.Start(new TestSmtpReceiverOptions { AuthUser = "relay-user", AuthPassword = "pa55" });
        var endpoint = Endpoint(receiver, credentials: new SmtpCredentials("relay-user", "pa55"));

        var open = OutboundConnection.OpenAsync(endpoint, Options(relayRequireTls: relayRequireTls), CancellationToken.None);

        if (authenticates)
        {
            await using var connection = await open;
            Assert.True((await connection.SendAsync(Message(Content("relayed")), CancellationToken.None)).AllAccepted);
        }
        else
        {
            await Assert.ThrowsAsync<OutboundConnectionException>(() => open);
            Assert.DoesNotContain(receiver.Commands, c => c.StartsWith("AUTH", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task WrongRelayPasswordFailsTheConnectionTemporarily()
    {
        await using var receiver = TestSmtpReceiver.Start(new TestSmtpReceiverOptions { Certificate = Certificate, AuthUser = "relay-user", AuthPassword = "pa55" });
        var endpoint = Endpoint(receiver, credentials: new SmtpCredentials("relay-user", "wrong"));

        var failure = await Assert.ThrowsAsync<OutboundConnectionException>(() => OutboundConnection.OpenAsync(endpoint, Options(), CancellationToken.None));

        Assert.False(failure.Permanent);
        Assert.Equal(535, failure.Reply?.Code);
        Assert.DoesNotContain("wrong", failure.Message);
    }

    [Fact]
    public async Task ConfiguredSourceAddressIsBound()
    {
        await using var receiver = TestSmtpReceiver.Start(IPAddress.Parse("127.0.0.5"), FreePort.Next());
        await using var connection = await OpenAsync(receiver, Options(sourceAddress: "127.0.0.3"));

        await connection.SendAsync(Message(Content("from .3")), CancellationToken.None);

        Assert.Equal(IPAddress.Parse("127.0.0.3"), (await receiver.WaitForMessageAsync(Wait)).ClientAddress);
    }

    [Fact]
    public async Task EndpointSourceAddressOverridesTheConfiguredOne()
    {
        await using var receiver = TestSmtpReceiver.Start(IPAddress.Parse("127.0.0.5"), FreePort.Next());
        var endpoint = Endpoint(receiver, sourceAddress: IPAddress.Parse("127.0.0.4"));
        await using var connection = await OutboundConnection.OpenAsync(endpoint, Options(sourceAddress: "127.0.0.3"), CancellationToken.None);

        await connection.SendAsync(Message(Content("from .4")), CancellationToken.None);

        Assert.Equal(IPAddress.Parse("127.0.0.4"), (await receiver.WaitForMessageAsync(Wait)).ClientAddress);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DroppedConnectionMidDataThrowsAndLeavesTheConnectionUnusable(bool chunking)
    {
        await using var receiver = TestSmtpReceiver.Start(new TestSmtpReceiverOptions { Chunking = chunking });
        await using var connection = await OpenAsync(receiver);
        receiver.Mode = ReceiverMode.DropMidData;

        var failure = await Assert.ThrowsAsync<OutboundConnectionException>(() => connection.SendAsync(Message(Content("lost")), CancellationToken.None));

        Assert.False(failure.Permanent);
        Assert.False(connection.IsUsable);
        Assert.Equal(0, receiver.MessageCount);
    }

    [Fact]
    public async Task ConnectionClosedAfterGreetingThrows()
    {
        await using var receiver = TestSmtpReceiver.Start();
        receiver.Mode = ReceiverMode.DropAfterGreeting;

        var failure = await Assert.ThrowsAsync<OutboundConnectionException>(() => OpenAsync(receiver));

        Assert.False(failure.Permanent);
    }

    [Fact]
    public async Task GreetingRefusalIsPermanentForTheHost()
    {
        await using var receiver = TestSmtpReceiver.Start();
        receiver.GreetingReply = "554 5.7.1 No SMTP service here";

        var failure = await Assert.ThrowsAsync<OutboundConnectionException>(() => OpenAsync(receiver));

        Assert.True(failure.Permanent);
        Assert.Equal("554 5.7.1 No SMTP service here", failure.Reply?.ToString());
    }

    [Fact]
    public async Task ReceiverThatIsDownRefusesTheConnectionTemporarily()
    {
        await using var receiver = TestSmtpReceiver.Start();
        receiver.StopListening();

        var failure = await Assert.ThrowsAsync<OutboundConnectionException>(() => OpenAsync(receiver));

        Assert.False(failure.Permanent);
        Assert.Contains("ConnectionRefused", failure.Message);
        receiver.StartListening();
        await using var connection = await OpenAsync(receiver);
        Assert.True(connection.IsUsable);
    }

    [Fact]
    public async Task ServiceClosingReplyMidSessionEndsTheConnection()
    {
        await using var receiver = TestSmtpReceiver.Start();
        receiver.Mode = ReceiverMode.DeferRecipients;
        receiver.DeferReply = "421 4.3.2 Shutting down";
        await using var connection = await OpenAsync(receiver);

        var failure = await Assert.ThrowsAsync<OutboundConnectionException>(() => connection.SendAsync(Message(Content("x")), CancellationToken.None));

        Assert.Equal(421, failure.Reply?.Code);
        Assert.False(connection.IsUsable);
    }
}
