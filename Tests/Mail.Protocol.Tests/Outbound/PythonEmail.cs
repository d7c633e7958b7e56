using System.Diagnostics;
using System.Text.Json;

namespace Mail.Protocol.Tests.Outbound;

/// <summary>Reads a message with Python's standard email package: a second, independent MIME and DSN parser.</summary>
public static class PythonEmail
{
    // Prints the MIME tree, the top-level fields, each delivery-status group and the returned headers as JSON.
    private const string Script = """
        import sys, json, re, email
        msg = email.message_from_bytes(sys.stdin.buffer.read())
        unfold = lambda v: None if v is None else re.sub(r'\r?\n[ \t]+', ' ', str(v))
        def parts(p):
            # The groups of a delivery-status payload are Message objects too; they are fields, not MIME parts.
            yield p
            if p.is_multipart() and p.get_content_type() != 'message/delivery-status':
                for child in p.get_payload():
                    yield from parts(child)
        out = {'types': [p.get_content_type() for p in parts(msg)], 'report_type': msg.get_param('report-type'),
               'defects': [type(d).__name__ for p in parts(msg) for d in p.defects], 'groups': [], 'headers': None, 'human': None}
        for k in ('From', 'To', 'Subject', 'Auto-Submitted', 'In-Reply-To', 'References', 'Message-ID', 'Date', 'MIME-Version'):
            out[k] = unfold(msg[k])
        for part in parts(msg):
            t = part.get_content_type()
            if t == 'message/delivery-status':
                out['groups'] = [[[k, unfold(v)] for k, v in g.items()] for g in part.get_payload()]
            elif t == 'text/rfc822-headers':
                out['headers'] = part.get_payload(decode=True).decode('utf-8')
            elif t == 'text/plain' and out['human'] is None:
                out['human'] = part.get_payload(decode=True).decode(part.get_content_charset() or 'ascii')
        print(json.dumps(out))
        """;

    /// <summary>The JSON summary Python prints for <paramref name="message"/>.</summary>
    public static JsonElement Read(byte[] message)
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.BaseStream.Write(message);
        process.StandardInput.Close();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr.Result);
        return JsonDocument.Parse(stdout.Result).RootElement.Clone();
    }

    /// <summary>The fields of delivery-status group <paramref name="index"/> (0 is per-message) as name, value pairs.</summary>
    public static List<(string Name, string Value)> Group(JsonElement summary, int index) =>
        summary.GetProperty("groups")[index].EnumerateArray().Select(f => (f[0].GetString()!, f[1].GetString()!)).ToList();

    /// <summary>The value of field <paramref name="name"/> in a group; null when absent.</summary>
    public static string? Field(List<(string Name, string Value)> group, string name) =>
        group.Where(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value).FirstOrDefault();
}
