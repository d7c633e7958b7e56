using System.Diagnostics;
using Mail.Grains.Interfaces.Outbound;
using Mail.Grains.Outbound.Dns;

namespace Mail.Grains.Tests.Reputation;

/// <summary>
/// Debian's dnsmasq serving fixed MX and TXT records for *.test on a free loopback port, and pointing
/// <see cref="DnsmasqTestResolver.Shared"/> at it; a test starts one with the records it publishes.
/// </summary>
public sealed class DnsmasqServer : IDisposable
{
    private readonly Process _process;

    private DnsmasqServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The UDP/TCP port it answers on.</summary>
    public int Port { get; }

    /// <summary>Serves <paramref name="records"/> (MX values as "preference host") and waits until it answers.</summary>
    public static async Task<DnsmasqServer> StartAsync(IEnumerable<DnsRecordInfo> records)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dnsmasq") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[]
                 {
                     "--no-daemon", $"--port={port}", "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv",
                     "--no-hosts", "--conf-file=/dev/null", "--pid-file=", "--local=/test/",
                 })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var record in records.DistinctBy(r => (r.Type, r.Name, r.Value)))
        {
            start.ArgumentList.Add(record.Type == "MX"
                ? $"--mx-host={record.Name},{record.Value.Split(' ')[1]},{record.Value.Split(' ')[0]}"
                // One TXT string holds at most 255 octets (RFC 1035 §3.3.14); dnsmasq takes the strings comma-separated.
                : $"--txt-record={record.Name},{string.Join(',', record.Value.Chunk(255).Select(c => new string(c)))}");
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dnsmasq did not start (apt-get install dnsmasq-base).");
        var server = new DnsmasqServer(process, port);
        DnsmasqTestResolver.Shared.Use(port);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await DnsmasqTestResolver.Shared.LookupTxtAsync("ready.test", CancellationToken.None)).Status == DnsStatus.TempFail)
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                server.Dispose();
                throw new InvalidOperationException($"dnsmasq did not answer on port {port}: {await process.StandardError.ReadToEndAsync()}");
            }
            await Task.Delay(50);
        }
        return server;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
    }
}
