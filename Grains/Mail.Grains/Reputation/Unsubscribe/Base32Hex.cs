namespace Mail.Grains.Reputation.Unsubscribe;

/// <summary>
/// Lower-case base32hex without padding (RFC 4648 §7): survives a mail system that folds the case of a local part and
/// needs no escaping in a URL path or an address.
/// </summary>
public static class Base32Hex
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuv";

    /// <summary>The encoding of <paramref name="bytes"/>.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[(bytes.Length * 8 + 4) / 5];
        int buffer = 0, bits = 0, n = 0;
        foreach (var b in bytes)
        {
            buffer = ((buffer << 8) | b) & 0xFFF;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                chars[n++] = Alphabet[(buffer >> bits) & 31];
            }
        }
        if (bits > 0) chars[n++] = Alphabet[(buffer << (5 - bits)) & 31];
        return new string(chars, 0, n);
    }

    /// <summary>Decodes <paramref name="text"/> (either case); false for a character outside the alphabet or stray trailing bits.</summary>
    public static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length * 5 / 8];
        int buffer = 0, bits = 0, n = 0;
        foreach (var c in text)
        {
            var value = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'v' => c - 'a' + 10,
                >= 'A' and <= 'V' => c - 'A' + 10,
                _ => -1,
            };
            if (value < 0) return false;
            buffer = ((buffer << 5) | value) & 0xFFF;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes[n++] = (byte)(buffer >> bits);
            }
        }
        // Leftover bits are padding and must be zero; a leftover of 5 or more would be a character too many.
        return bits < 5 && (buffer & ((1 << bits) - 1)) == 0;
    }
}
