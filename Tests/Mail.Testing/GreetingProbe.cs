using System.Net.Sockets;
using System.Text;

namespace Mail.Testing;

/// <summary>Opens raw connections and reads their first line, to test per-address connection limits of the line protocols.</summary>
public sealed class GreetingProbe : IAsyncDisposable
{
    private readonly List<TcpClient> _open = [];

    /// <summary>Connects and returns the server's first line (without CRLF), or null if it closed first.</summary>
    public async Task<string?> ConnectAsync(int port)
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        _open.Add(client);
        var stream = client.GetStream();
        stream.ReadTimeout = 5000;
        var line = new StringBuilder();
        var buffer = new byte[1];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (await stream.ReadAsync(buffer, timeout.Token) == 1)
        {
            if (buffer[0] == '\n') return line.ToString().TrimEnd('\r');
            line.Append((char)buffer[0]);
        }
        return line.Length > 0 ? line.ToString() : null;
    }

    /// <summary>Opens connections until <paramref name="limit"/> are greeted with a line starting <paramref name="welcome"/>, then returns the next one's first line; earlier tests' sessions that the server has not yet let go are waited out.</summary>
    public async Task<string?> GreetingBeyondLimitAsync(int port, int limit, string welcome)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var greeted = 0;
            while (greeted < limit && (await ConnectAsync(port))?.StartsWith(welcome, StringComparison.Ordinal) == true) greeted++;
            if (greeted == limit) return await ConnectAsync(port);
            Close();
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"Could not hold {limit} sessions open on port {port}.");
    }

    /// <summary>Connects until the greeting starts with <paramref name="welcome"/> (sessions just closed are released asynchronously); returns it.</summary>
    public async Task<string?> WelcomedAsync(int port, string welcome)
    {
        string? line = null;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            line = await ConnectAsync(port);
            if (line?.StartsWith(welcome, StringComparison.Ordinal) == true) return line;
            Close();
            await Task.Delay(100);
        }
        return line;
    }

    /// <summary>Closes every connection this probe opened.</summary>
    public void Close()
    {
        foreach (var client in _open) client.Dispose();
        _open.Clear();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}
