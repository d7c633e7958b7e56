using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Mail.Frontends.Hosting;
using Microsoft.AspNetCore.Connections;

namespace Mail.Protocol.Tests.Hosting;

/// <summary>The shared line read over a connection's pipe, as SMTP, POP3 and IMAP use it, with input arriving in pieces.</summary>
public sealed class ConnectionTransportTests
{
    private readonly Pipe _fromClient = new();
    private readonly Pipe _toClient = new();

    [Fact]
    public async Task OverLongLineArrivingInPiecesIsSkippedWholeAndTheNextLineIsRead()
    {
        await using var transport = Transport();
        var read = transport.ReadLineAsync(16, CancellationToken.None);
        foreach (var piece in new[] { "xxxxxxxxxx", "xxxxxxxxxx", "xxxx\r", "\nNO", "OP\r\n" }) await SendAsync(piece);

        Assert.Equal(LineStatus.TooLong, (await read)!.Value.Status);
        var next = await transport.ReadLineAsync(16, CancellationToken.None);
        Assert.Equal(LineStatus.Complete, next!.Value.Status);
        Assert.Equal("NOOP", Encoding.ASCII.GetString(next.Value.Line));
    }

    [Fact]
    public async Task WaitForInputConsumesNothingAndFlushesQueuedReplies()
    {
        await using var transport = Transport();
        transport.Output.Write("250 ok\r\n"u8);
        var waiting = transport.WaitForInputAsync(CancellationToken.None).AsTask();

        var sent = await _toClient.Reader.ReadAsync();
        Assert.Equal("250 ok\r\n", Encoding.ASCII.GetString(sent.Buffer));
        Assert.False(waiting.IsCompleted);
        await SendAsync("QUIT\n");
        Assert.True(await waiting);
        var line = await transport.ReadLineAsync(16, CancellationToken.None);
        Assert.Equal("QUIT", Encoding.ASCII.GetString(line!.Value.Line));
    }

    [Fact]
    public async Task ClientClosingInsideALineEndsTheRead()
    {
        await using var transport = Transport();
        await SendAsync("NOO");
        await _fromClient.Writer.CompleteAsync();

        Assert.True(await transport.WaitForInputAsync(CancellationToken.None));
        Assert.Null(await transport.ReadLineAsync(16, CancellationToken.None));
    }

    [Fact]
    public async Task ClientClosingBetweenCommandsEndsTheWait()
    {
        await using var transport = Transport();
        await _fromClient.Writer.CompleteAsync();

        Assert.False(await transport.WaitForInputAsync(CancellationToken.None));
    }

    private ConnectionTransport Transport() =>
        new(new DefaultConnectionContext("test", new DuplexPipe(_fromClient.Reader, _toClient.Writer), new DuplexPipe(_toClient.Reader, _fromClient.Writer)));

    private async Task SendAsync(string text)
    {
        await _fromClient.Writer.WriteAsync(Encoding.ASCII.GetBytes(text));
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
