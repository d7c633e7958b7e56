namespace Mail.Frontends.Imap.Mime;

/// <summary>
/// Decodes quoted-printable content for BINARY (RFC 3516 §4.2) by the rules of RFC 2045 §6.7: trailing white space of
/// each encoded line is not content (rule 3), "=" at the end of a line, white space after it included, is a soft line
/// break (rule 5), "=XX" is an octet; a malformed "=" sequence is kept as it is, as robust decoders do.
/// </summary>
public static class QuotedPrintable
{
    /// <summary>The decoded octets; every hard line break comes out as CRLF.</summary>
    public static byte[] Decode(ReadOnlySpan<byte> encoded)
    {
        // A line ending in a bare LF comes out one octet longer (CRLF).
        var output = new byte[encoded.Length + encoded.Count((byte)'\n') + 2];
        var length = 0;
        while (!encoded.IsEmpty)
        {
            var newline = encoded.IndexOf((byte)'\n');
            var line = newline < 0 ? encoded : encoded[..newline];
            encoded = newline < 0 ? [] : encoded[(newline + 1)..];
            if (line.EndsWith((byte)'\r')) line = line[..^1];
            line = line.TrimEnd(" \t"u8);
            var soft = line.EndsWith((byte)'=');
            if (soft) line = line[..^1];
            for (var i = 0; i < line.Length; i++)
            {
                if (line[i] == '=' && i + 2 < line.Length && Hex(line[i + 1]) is >= 0 and var high && Hex(line[i + 2]) is >= 0 and var low)
                {
                    output[length++] = (byte)(high << 4 | low);
                    i += 2;
                }
                else output[length++] = line[i];
            }
            if (!soft && newline >= 0)
            {
                output[length++] = (byte)'\r';
                output[length++] = (byte)'\n';
            }
        }
        return output[..length];
    }

    private static int Hex(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        _ => -1,
    };
}
