using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Mail.Testing;

/// <summary>
/// A real SMTP server for tests of the outbound MTA: listens on a given loopback address and port, announces the
/// extensions its <see cref="TestSmtpReceiverOptions"/> name, behaves as <see cref="Mode"/> says (settable while
/// running), and records every accepted transaction with the exact bytes received. Any number of concurrent sessions.
/// </summary>
public sealed class TestSmtpReceiver : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Socket, Task> _sessions = new();
    private readonly ConcurrentDictionary<string, byte> _rejected = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _deferred = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<ReceivedMessage> _messages = new();
    private int _count;
    private readonly ConcurrentQueue<string> _commands = new();
    private readonly Channel<ReceivedMessage> _arrivals = Channel.CreateUnbounded<ReceivedMessage>();
    private readonly Lock _listening = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private int _connections;

    private TestSmtpReceiver(IPEndPoint endPoint, TestSmtpReceiverOptions options)
    {
        EndPoint = endPoint;
        Options = options;
    }

    /// <summary>Starts a receiver on <paramref name="address"/>:<paramref name="port"/>.</summary>
    public static TestSmtpReceiver Start(IPAddress address, int port, TestSmtpReceiverOptions? options = null)
    {
        var receiver = new TestSmtpReceiver(new IPEndPoint(address, port), options ?? new TestSmtpReceiverOptions());
        receiver.StartListening();
        return receiver;
    }

    /// <summary>Starts a receiver on 127.0.0.1 and a free port.</summary>
    public static TestSmtpReceiver Start(TestSmtpReceiverOptions? options = null) => Start(IPAddress.Loopback, FreePort.Next(), options);

    /// <summary>Where it listens.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>What it announces and enforces.</summary>
    public TestSmtpReceiverOptions Options { get; }

    /// <summary>How the next commands are answered.</summary>
    public ReceiverMode Mode { get; set; }

    /// <summary>The greeting (a 554 or 421 here refuses the session).</summary>
    public string GreetingReply { get; set; } = "220 receiver.test ESMTP test receiver";

    /// <summary>The 4xx reply of the Defer modes and of deferred recipients.</summary>
    public string DeferReply { get; set; } = "451 4.3.0 Temporary failure, try again later";

    /// <summary>The 5xx reply of the Reject modes and of rejected recipients.</summary>
    public string RejectReply { get; set; } = "550 5.1.1 User unknown";

    /// <summary>Every accepted transaction so far, in order.</summary>
    public IReadOnlyList<ReceivedMessage> Messages => [.. _messages];

    /// <summary>Accepted transactions so far.</summary>
    public int MessageCount => Volatile.Read(ref _count);

    /// <summary>Connections accepted so far.</summary>
    public int ConnectionCount => Volatile.Read(ref _connections);

    /// <summary>Every command line received (not message data), in arrival order across sessions.</summary>
    public IReadOnlyList<string> Commands => [.. _commands];

    /// <summary>Answer RCPT for this address with <see cref="RejectReply"/> in every mode.</summary>
    public void RejectRecipient(string address) => _rejected[address] = 0;

    /// <summary>Answer RCPT for this address with <see cref="DeferReply"/> in every mode.</summary>
    public void DeferRecipient(string address) => _deferred[address] = 0;

    /// <summary>Forget the per-address rules.</summary>
    public void ClearRecipientRules()
    {
        _rejected.Clear();
        _deferred.Clear();
    }

    /// <summary>The next accepted message not yet taken by this method; <see cref="TimeoutException"/> when none comes in time.</summary>
    public async Task<ReceivedMessage> WaitForMessageAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _arrivals.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no message reached {EndPoint} within {timeout}");
        }
    }

    /// <summary>Listens (again, after <see cref="StopListening"/>): connections are accepted.</summary>
    public void StartListening()
    {
        lock (_listening)
        {
            if (_listener is not null) return;
            var listener = new Socket(EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(EndPoint);
            listener.Listen(512);
            _listener = listener;
            _acceptLoop = AcceptAsync(listener);
        }
    }

    /// <summary>The host is down: the listener closes, so connections are refused; open sessions are closed too.</summary>
    public void StopListening()
    {
        lock (_listening)
        {
            _listener?.Dispose();
            _listener = null;
        }
        foreach (var socket in _sessions.Keys) socket.Dispose();
    }

    /// <summary>Stops listening, closes every session and waits for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        StopListening();
        await _acceptLoop;
        await Task.WhenAll(_sessions.Values);
        _stopping.Dispose();
    }

    internal CancellationToken Stopping => _stopping.Token;

    internal bool IsRejected(string address) => _rejected.ContainsKey(address);

    internal bool IsDeferred(string address) => _deferred.ContainsKey(address);

    internal void RecordCommand(string line)
    {
        if (Options.KeepMessages) _commands.Enqueue(line);
    }

    internal void Record(ReceivedMessage message)
    {
        Options.Observer?.Invoke(message);
        if (Options.KeepMessages)
        {
            _messages.Enqueue(message);
            _arrivals.Writer.TryWrite(message);
        }
        Interlocked.Increment(ref _count);
    }

    private async Task AcceptAsync(Socket listener)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }
            // Replies go out as they are written, as a real MTA's do (Postfix flushes a pipelined group's replies
            // together; without this, Nagle holds the second reply until the client's delayed ACK, about 40 ms).
            socket.NoDelay = true;
            Interlocked.Increment(ref _connections);
            var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _sessions[socket] = Task.Run(async () =>
            {
                try
                {
                    await registered.Task;
                    await new TestSmtpSession(this, socket).RunAsync();
                }
                finally
                {
                    _sessions.TryRemove(socket, out _);
                    socket.Dispose();
                }
            });
            registered.SetResult();
        }
    }
}
