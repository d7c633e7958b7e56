using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;

namespace Mail.Bench.Imap;

/// <summary>
/// A minimal IMAP client over plain TCP for the scale benchmark: sends one tagged command and reads response lines up to
/// its tagged completion, counting them, with as little work per line as possible (the benchmark measures the server).
/// </summary>
public sealed class RawImapClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;
    private int _tags;

    private RawImapClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
    }

    /// <summary>Connects to the plaintext IMAP port on loopback and logs in.</summary>
    public static async Task<RawImapClient> LoginAsync(int port, string user, string password)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port);
        var client = new RawImapClient(tcp);
        await client.ReadLineAsync();
        var login = await client.RunAsync($"LOGIN {user} {password}");
        if (!login.Ok) throw new InvalidOperationException($"LOGIN failed: {login.Completion}");
        return client;
    }

    /// <summary>Runs one command; <paramref name="onUntagged"/> sees each untagged line (without CRLF).</summary>
    public async Task<ImapRun> RunAsync(string command, Action<ReadOnlySequence<byte>>? onUntagged = null)
    {
        var tag = "b" + ++_tags;
        var prefix = Encoding.ASCII.GetBytes(tag + " ");
        var clock = Stopwatch.StartNew();
        await _stream.WriteAsync(Encoding.ASCII.GetBytes($"{tag} {command}\r\n"));
        long lines = 0, bytes = 0;
        while (true)
        {
            var result = await _input.ReadAsync();
            var buffer = result.Buffer;
            var reader = new SequenceReader<byte>(buffer);
            string? completion = null;
            while (reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
            {
                bytes += line.Length + 1;
                if (line.Length >= prefix.Length && StartsWith(line, prefix))
                {
                    completion = Encoding.ASCII.GetString(line).TrimEnd('\r');
                    break;
                }
                lines++;
                onUntagged?.Invoke(line.Slice(0, Math.Max(0, line.Length - 1)));
            }
            _input.AdvanceTo(reader.Position, buffer.End);
            if (completion is not null)
            {
                return new ImapRun(completion[prefix.Length..].StartsWith("OK", StringComparison.Ordinal), completion, lines, bytes, clock.Elapsed);
            }
            if (result.IsCompleted) throw new InvalidOperationException($"the server closed the connection during {command}");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _input.CompleteAsync();
        _tcp.Dispose();
    }

    private async Task ReadLineAsync()
    {
        while (true)
        {
            var result = await _input.ReadAsync();
            var reader = new SequenceReader<byte>(result.Buffer);
            if (reader.TryReadTo(out ReadOnlySequence<byte> _, (byte)'\n'))
            {
                _input.AdvanceTo(reader.Position);
                return;
            }
            _input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted) throw new InvalidOperationException("the server closed the connection");
        }
    }

    private static bool StartsWith(ReadOnlySequence<byte> line, byte[] prefix)
    {
        Span<byte> head = stackalloc byte[prefix.Length];
        line.Slice(0, prefix.Length).CopyTo(head);
        return head.SequenceEqual(prefix);
    }
}
