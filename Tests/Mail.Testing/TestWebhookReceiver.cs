using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Mail.Testing;

/// <summary>
/// A plain HTTP endpoint on 127.0.0.1 that records every request it gets (headers and exact body bytes) and answers
/// with scripted status codes: the next ones queued by <see cref="AnswerNext"/>, then <see cref="DefaultStatus"/>.
/// </summary>
public sealed class TestWebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _script = new();
    private readonly List<WebhookRequest> _requests = [];
    private readonly SemaphoreSlim _arrived = new(0);

    private TestWebhookReceiver()
    {
        Port = FreePort.Next();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port));
        _app = builder.Build();
        _app.Run(ServeAsync);
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>The URL of <paramref name="path"/> on this receiver.</summary>
    public string Url(string path = "/hook") => $"http://127.0.0.1:{Port}{path}";

    /// <summary>The status answered once the script is used up.</summary>
    public int DefaultStatus { get; set; } = 200;

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<WebhookRequest> Requests
    {
        get
        {
            lock (_requests) return [.. _requests];
        }
    }

    /// <summary>Starts a receiver.</summary>
    public static async Task<TestWebhookReceiver> StartAsync()
    {
        var receiver = new TestWebhookReceiver();
        await receiver._app.StartAsync();
        return receiver;
    }

    /// <summary>Answers the next requests with <paramref name="statuses"/>, in order.</summary>
    public void AnswerNext(params int[] statuses)
    {
        foreach (var status in statuses) _script.Enqueue(status);
    }

    /// <summary>Waits for the first request (from index <paramref name="from"/> on) that <paramref name="match"/> accepts.</summary>
    public async Task<WebhookRequest> WaitForAsync(Func<WebhookRequest, bool> match, TimeSpan timeout, int from = 0)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Requests.Skip(from).FirstOrDefault(match) is { } found) return found;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"no matching webhook request in {timeout}; got {Requests.Count}");
            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _arrived.Dispose();
    }

    private async Task ServeAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var status = _script.TryDequeue(out var scripted) ? scripted : DefaultStatus;
        lock (_requests) _requests.Add(new WebhookRequest(context.Request.Method, context.Request.Path, headers, body.ToArray(), DateTimeOffset.UtcNow, status));
        _arrived.Release();
        context.Response.StatusCode = status;
        if (status >= 400) await context.Response.WriteAsync("receiver says no");
    }
}

/// <summary>One request a <see cref="TestWebhookReceiver"/> got, and the status it answered.</summary>
public sealed record WebhookRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset At, int Answered)
{
    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers.GetValueOrDefault(name);
}
