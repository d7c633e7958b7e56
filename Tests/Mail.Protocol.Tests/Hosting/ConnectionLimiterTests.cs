using System.Net;
using Mail.Frontends.Hosting;

namespace Mail.Protocol.Tests.Hosting;

/// <summary>A listener's two connection limits: per client address, and in all.</summary>
public sealed class ConnectionLimiterTests
{
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress B = IPAddress.Parse("192.0.2.2");
    private static readonly IPAddress C = IPAddress.Parse("2001:db8::3");

    [Fact]
    public void ListenerCapRefusesANewAddressOnceItIsReached()
    {
        var limiter = new ConnectionLimiter(maxPerAddress: 10, maxTotal: 2);

        Assert.Equal(Admission.Admitted, limiter.TryEnter(A));
        Assert.Equal(Admission.Admitted, limiter.TryEnter(B));
        Assert.Equal(Admission.ListenerFull, limiter.TryEnter(C));
        Assert.Equal(2, limiter.Open);
    }

    [Fact]
    public void AddressCapRefusesThatAddressWhileOthersAreAdmitted()
    {
        var limiter = new ConnectionLimiter(maxPerAddress: 1, maxTotal: 10);

        Assert.Equal(Admission.Admitted, limiter.TryEnter(A));
        Assert.Equal(Admission.AddressFull, limiter.TryEnter(A));
        Assert.Equal(Admission.Admitted, limiter.TryEnter(B));
        Assert.Equal(2, limiter.Open);
    }

    [Fact]
    public void RefusedConnectionsAreNotCountedAndAReleasedSlotIsReused()
    {
        var limiter = new ConnectionLimiter(maxPerAddress: 1, maxTotal: 2);
        limiter.TryEnter(A);
        limiter.TryEnter(B);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(Admission.ListenerFull, limiter.TryEnter(C));
            Assert.NotEqual(Admission.Admitted, limiter.TryEnter(A));
        }

        limiter.Exit(A);

        Assert.Equal(1, limiter.Open);
        Assert.Equal(Admission.Admitted, limiter.TryEnter(C));
        Assert.Equal(Admission.ListenerFull, limiter.TryEnter(A));
    }

    [Fact]
    public void ConcurrentArrivalsNeverExceedTheCap()
    {
        var limiter = new ConnectionLimiter(maxPerAddress: 1000, maxTotal: 50);
        var admitted = 0;

        Parallel.For(0, 2000, i =>
        {
            if (limiter.TryEnter(IPAddress.Parse($"10.0.{i / 256}.{i % 256}")) == Admission.Admitted) Interlocked.Increment(ref admitted);
        });

        Assert.Equal(50, admitted);
        Assert.Equal(50, limiter.Open);
    }
}
