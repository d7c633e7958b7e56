using System.Diagnostics;
using System.Text.Json;

namespace Mail.Testing;

/// <summary>
/// Verifies DKIM signatures with Debian's python3-dkim (dkimpy; python3-nacl for Ed25519), a verifier
/// written independently of MimeKit; key records come from the given name → TXT map.
/// </summary>
public static class PythonDkim
{
    private const string Script = """
        import json, sys, dkim
        message = open(sys.argv[1], 'rb').read()
        records = json.load(open(sys.argv[2]))
        def dnsfunc(name, timeout=5):
            value = records.get(name.decode().rstrip('.'))
            return value.encode() if value is not None else None
        verifier = dkim.DKIM(message)
        def check(i):
            try:
                return bool(verifier.verify(idx=i, dnsfunc=dnsfunc))
            except dkim.DKIMException as e:
                print(e, file=sys.stderr)
                return False
        count = len([h for h in verifier.headers if h[0].lower() == b'dkim-signature'])
        print(json.dumps([check(i) for i in range(count)]))
        """;

    /// <summary>The outcome of each DKIM-Signature field of <paramref name="message"/>, top first.</summary>
    public static async Task<bool[]> VerifyAsync(byte[] message, IReadOnlyDictionary<string, string> keyRecords)
    {
        using var directory = new TempDirectory();
        var messagePath = Path.Combine(directory.Path, "message.eml");
        var recordsPath = Path.Combine(directory.Path, "records.json");
        await File.WriteAllBytesAsync(messagePath, message);
        await File.WriteAllTextAsync(recordsPath, JsonSerializer.Serialize(keyRecords));
        // Debian's interpreter, where apt installs the module (a pyenv python on PATH would lack it).
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", Script, messagePath, recordsPath }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"python3-dkim failed ({process.ExitCode}): {error}");
        return JsonSerializer.Deserialize<bool[]>(output)!;
    }
}
