using System.Net;
using System.Text.Json;

namespace Mail.Bench.Bulk;

/// <summary>
/// The JSON body of a bulk job of many recipients, written straight to the request stream as it is sent (chunked),
/// so the load generator never holds the whole body either; it counts the bytes it wrote.
/// </summary>
public sealed class BulkJobBody(string from, string text, int recipients, string domain) : HttpContent
{
    /// <summary>Bytes written by the last send.</summary>
    public long Length { get; private set; }

    /// <inheritdoc />
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var counting = new CountingStream(stream);
        await using (var json = new Utf8JsonWriter(counting))
        {
            json.WriteStartObject();
            json.WriteString("from", from);
            json.WriteString("subject", "Bench news for {{name}} #{{n}}");
            json.WriteString("text", "Hello {{name}},\n\n" + text + "\n\nUnsubscribe: {{unsubscribe_url}}\n");
            json.WriteString("class", "marketing");
            json.WriteStartArray("recipients");
            for (var i = 0; i < recipients; i++)
            {
                json.WriteStartObject();
                json.WriteString("to", $"r{i}@{domain}");
                json.WriteStartObject("vars");
                json.WriteString("name", $"Reader {i}");
                json.WriteNumber("n", i);
                json.WriteEndObject();
                json.WriteEndObject();
                if (json.BytesPending > 64 * 1024) await json.FlushAsync();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        Length = counting.Written;
    }

    /// <inheritdoc />
    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Written { get; private set; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            Written += count;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            await inner.WriteAsync(buffer, ct);
            Written += buffer.Length;
        }
    }
}
