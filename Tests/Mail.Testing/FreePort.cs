using System.Net;
using System.Net.Sockets;

namespace Mail.Testing;

/// <summary>
/// Hands out loopback ports for test hosts. Ports come from 20000–31999, below Linux's ephemeral range
/// (32768+), so an outgoing connection of this or another process can never be holding one; each test
/// process walks its own block (by process id), so parallel test assemblies do not pick the same ports.
/// </summary>
public static class FreePort
{
    private const int First = 20000;
    private const int BlockSize = 500;
    private const int Blocks = 24;
    private static readonly int Block = Environment.ProcessId % Blocks;
    private static int _next = -1;

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on now.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < BlockSize; attempt++)
        {
            var port = First + Block * BlockSize + Interlocked.Increment(ref _next) % BlockSize;
            if (IsFree(port)) return port;
        }
        throw new InvalidOperationException("No free port left in this test process's block.");
    }

    /// <summary>The first of <paramref name="count"/> consecutive ports from this process's block that nothing listens on now.</summary>
    public static int NextRange(int count)
    {
        for (var attempt = 0; attempt < BlockSize; attempt++)
        {
            var first = Next();
            if (first % BlockSize + count > BlockSize) continue;
            var rest = Enumerable.Range(first + 1, count - 1).ToArray();
            if (rest.All(IsFree))
            {
                // Later calls start past the range.
                Interlocked.Add(ref _next, count - 1);
                return first;
            }
        }
        throw new InvalidOperationException($"No {count} consecutive free ports left in this test process's block.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
