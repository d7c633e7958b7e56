using System.Diagnostics;
using System.Text.Json;

namespace Mail.Testing;

/// <summary>
/// Verifies and makes DKIM signatures and ARC sets with Debian's python3-dkim (dkimpy; python3-nacl for Ed25519), written
/// independently of MimeKit; key records come from the given name → TXT map.
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

    private const string ArcVerifyScript = """
        import json, sys, dkim
        message = open(sys.argv[1], 'rb').read()
        records = json.load(open(sys.argv[2]))
        def dnsfunc(name, timeout=5):
            value = records.get(name.decode().rstrip('.'))
            return value.encode() if value is not None else None
        cv, results, comment = dkim.arc_verify(message, dnsfunc=dnsfunc)
        print(json.dumps({'cv': cv.decode(), 'comment': comment}))
        """;

    private const string SignScript = """
        import sys, dkim
        message = open(sys.argv[1], 'rb').read()
        key = open(sys.argv[2], 'rb').read()
        selector, domain, algorithm, mode = sys.argv[3].encode(), sys.argv[4].encode(), sys.argv[5].encode(), sys.argv[6]
        if mode == 'arc':
            fields = dkim.arc_sign(message, selector, domain, key, sys.argv[7].encode(), signature_algorithm=algorithm)
            sys.stdout.buffer.write(b''.join(fields) + message)
        else:
            sys.stdout.buffer.write(dkim.sign(message, selector, domain, key, signature_algorithm=algorithm,
                include_headers=[b'from', b'to', b'subject', b'date', b'message-id']) + message)
        """;

    /// <summary>
    /// <paramref name="message"/> with a DKIM-Signature on top, signed by dkimpy as <paramref name="domain"/> with
    /// <paramref name="privateKeyPem"/> (RSA PKCS#1 PEM, or the base64 Ed25519 seed with "ed25519-sha256").
    /// </summary>
    public static Task<byte[]> SignAsync(byte[] message, string selector, string domain, string privateKeyPem, string algorithm = "rsa-sha256") =>
        RunSignAsync(message, privateKeyPem, [selector, domain, algorithm, "dkim"]);

    /// <summary>
    /// <paramref name="message"/> with one more ARC set (RFC 8617) on top, sealed by dkimpy as <paramref name="domain"/>;
    /// the message must carry an Authentication-Results field of <paramref name="authServId"/>.
    /// </summary>
    public static Task<byte[]> ArcSignAsync(byte[] message, string selector, string domain, string privateKeyPem, string authServId) =>
        RunSignAsync(message, privateKeyPem, [selector, domain, "rsa-sha256", "arc", authServId]);

    private static async Task<byte[]> RunSignAsync(byte[] message, string key, string[] arguments)
    {
        using var directory = new TempDirectory();
        var messagePath = Path.Combine(directory.Path, "message.eml");
        var keyPath = Path.Combine(directory.Path, "key.pem");
        await File.WriteAllBytesAsync(messagePath, message);
        await File.WriteAllTextAsync(keyPath, key);
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", SignScript, messagePath, keyPath }.Concat(arguments)) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = await process.StandardError.ReadToEndAsync();
        await copy;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"python3-dkim signing failed ({process.ExitCode}): {error}");
        return output.ToArray();
    }

    /// <summary>dkimpy's validation of the ARC chain of <paramref name="message"/> (RFC 8617 §5.2): "pass", "fail" or "none", and why.</summary>
    public static async Task<(string Cv, string Comment)> ArcVerifyAsync(byte[] message, IReadOnlyDictionary<string, string> keyRecords)
    {
        using var directory = new TempDirectory();
        var messagePath = Path.Combine(directory.Path, "message.eml");
        var recordsPath = Path.Combine(directory.Path, "records.json");
        await File.WriteAllBytesAsync(messagePath, message);
        await File.WriteAllTextAsync(recordsPath, JsonSerializer.Serialize(keyRecords));
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", ArcVerifyScript, messagePath, recordsPath }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"python3-dkim arc_verify failed ({process.ExitCode}): {error}");
        using var json = JsonDocument.Parse(output);
        return (json.RootElement.GetProperty("cv").GetString()!, json.RootElement.GetProperty("comment").GetString() ?? "");
    }

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
