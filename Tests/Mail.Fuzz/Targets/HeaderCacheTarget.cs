using System.Text;
using Mail.Mime;
using MimeKit;

namespace Mail.Fuzz.Targets;

/// <summary>
/// The header cache kept with each message row (<see cref="HeaderCache"/>): what IMAP answers ENVELOPE, header
/// fetches, SORT and THREAD from must be what parsing the message's own header section gives (RFC 5322 §2.2, §3.6).
/// </summary>
public static class HeaderCacheTarget
{
    /// <summary>Extracts the cache of <paramref name="input"/> and compares it, field by field, with MimeKit's reading of the message.</summary>
    public static void Run(ReadOnlySpan<byte> input)
    {
        var cache = HeaderCache.Extract(input);
        if (cache is null) return;
        FuzzInvariantException.Check(cache.Length <= HeaderCache.MaxBytes, "cache over its bound");
        FuzzInvariantException.Check(cache.AsSpan().EndsWith("\n"u8), "cache does not end with the blank line");
        var original = Load(input.ToArray());
        if (original is null) return;
        var cached = Load(cache);
        FuzzInvariantException.Check(cached is not null, "MimeKit reads the message's header but not its cache");
        foreach (var name in HeaderCache.Fields)
        {
            var expected = Values(original, name);
            var actual = Values(cached!, name);
            FuzzInvariantException.Check(expected.SequenceEqual(actual),
                $"{name}: the message says [{string.Join(" | ", expected)}], its cache [{string.Join(" | ", actual)}]");
        }
    }

    private static HeaderList? Load(byte[] bytes)
    {
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            return HeaderList.Load(stream);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static List<string> Values(HeaderList headers, string name) =>
        headers.Where(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => Encoding.Latin1.GetString(h.RawValue)).ToList();
}
