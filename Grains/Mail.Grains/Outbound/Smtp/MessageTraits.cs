namespace Mail.Grains.Outbound.Smtp;

/// <summary>
/// What the MAIL command must declare about a message: 8-bit bytes anywhere (BODY=8BITMIME, RFC 6152 §3) and
/// whether it is internationalized: a non-ASCII envelope address or header field (SMTPUTF8, RFC 6531 §3.2).
/// </summary>
internal readonly record struct MessageTraits(bool EightBit, bool Utf8)
{
    /// <summary>Scans the envelope, the prefix and the content stream once (stopping early when both are known).</summary>
    public static async ValueTask<MessageTraits> ScanAsync(OutboundMessage message, Stream content, byte[] buffer, CancellationToken ct)
    {
        var utf8 = !IsAscii(message.ReturnPath) || message.Recipients.Any(r => !IsAscii(r));
        var header = new HeaderScan();
        var eightBit = false;
        if (message.Prefix is { } prefix) header.Scan(prefix, ref eightBit, ref utf8);
        while (!(eightBit && (utf8 || header.Done)))
        {
            var read = await content.ReadAsync(buffer, ct);
            if (read == 0) break;
            var chunk = buffer.AsSpan(0, read);
            if (!header.Done) chunk = chunk[header.Scan(chunk, ref eightBit, ref utf8)..];
            if (!eightBit && chunk.IndexOfAnyInRange((byte)0x80, (byte)0xFF) >= 0) eightBit = true;
        }
        return new MessageTraits(eightBit, utf8);
    }

    private static bool IsAscii(string address) => System.Text.Ascii.IsValid(address);

    /// <summary>Finds the end of the header section (the first empty line) across chunks, noting 8-bit bytes in it.</summary>
    private struct HeaderScan
    {
        private bool _atLineStart;
        private bool _crAtLineStart;

        public bool Done { get; private set; }

        /// <summary>Scans header bytes; returns how many were header (the rest is body).</summary>
        public int Scan(ReadOnlySpan<byte> bytes, ref bool eightBit, ref bool utf8)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                var b = bytes[i];
                if (b >= 0x80) eightBit = utf8 = true;
                if (b == '\n')
                {
                    if (_atLineStart)
                    {
                        Done = true;
                        return i + 1;
                    }
                    _atLineStart = true;
                    _crAtLineStart = false;
                }
                else if (b == '\r' && _atLineStart && !_crAtLineStart) _crAtLineStart = true;
                else _atLineStart = _crAtLineStart = false;
            }
            return bytes.Length;
        }
    }
}
