namespace Mail.Grains.Outbound.Smtp;

/// <summary>The service extensions a server announced in its EHLO reply (RFC 5321 §4.1.1.1); HELO announces none.</summary>
internal sealed class SmtpCapabilities
{
    /// <summary>No extensions (a HELO session).</summary>
    public static SmtpCapabilities None { get; } = new();

    public bool StartTls { get; private init; }
    public bool Pipelining { get; private init; }
    public bool Chunking { get; private init; }
    public bool EightBitMime { get; private init; }
    public bool SmtpUtf8 { get; private init; }

    /// <summary>SIZE was announced (RFC 1870 §4).</summary>
    public bool Size { get; private init; }

    /// <summary>The announced fixed maximum message size; 0 when none was given.</summary>
    public long MaxSize { get; private init; }

    /// <summary>SASL mechanisms after AUTH (RFC 4954 §3), upper case.</summary>
    public IReadOnlySet<string> AuthMechanisms { get; private init; } = new HashSet<string>();

    /// <summary>Parses the EHLO reply's lines after the first (the greeting line names the server).</summary>
    public static SmtpCapabilities Parse(IReadOnlyList<string> lines)
    {
        bool startTls = false, pipelining = false, chunking = false, eightBit = false, utf8 = false, size = false;
        long maxSize = 0;
        var auth = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < lines.Count; i++)
        {
            var words = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) continue;
            switch (words[0].ToUpperInvariant())
            {
                case "STARTTLS": startTls = true; break;
                case "PIPELINING": pipelining = true; break;
                case "CHUNKING": chunking = true; break;
                case "8BITMIME": eightBit = true; break;
                case "SMTPUTF8": utf8 = true; break;
                case "SIZE":
                    size = true;
                    if (words.Length > 1 && long.TryParse(words[1], System.Globalization.CultureInfo.InvariantCulture, out var limit) && limit > 0) maxSize = limit;
                    break;
                case "AUTH":
                    foreach (var mechanism in words.Skip(1)) auth.Add(mechanism.ToUpperInvariant());
                    break;
            }
        }
        return new SmtpCapabilities
        {
            StartTls = startTls, Pipelining = pipelining, Chunking = chunking, EightBitMime = eightBit, SmtpUtf8 = utf8,
            Size = size, MaxSize = maxSize, AuthMechanisms = auth,
        };
    }
}
