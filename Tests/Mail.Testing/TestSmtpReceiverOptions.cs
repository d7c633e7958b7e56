using System.Security.Cryptography.X509Certificates;

namespace Mail.Testing;

/// <summary>What a <see cref="TestSmtpReceiver"/> announces in its EHLO reply and enforces.</summary>
public sealed class TestSmtpReceiverOptions
{
    /// <summary>Name in the greeting and EHLO reply.</summary>
    public string HostName { get; init; } = "receiver.test";

    /// <summary>Offer STARTTLS with this certificate (null: no STARTTLS).</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Announce SIZE with this limit and refuse larger messages (null: no SIZE; 0: SIZE without a limit).</summary>
    public long? Size { get; init; }

    /// <summary>Announce PIPELINING.</summary>
    public bool Pipelining { get; init; } = true;

    /// <summary>Announce CHUNKING (BDAT).</summary>
    public bool Chunking { get; init; }

    /// <summary>Announce 8BITMIME.</summary>
    public bool EightBitMime { get; init; } = true;

    /// <summary>Announce SMTPUTF8.</summary>
    public bool SmtpUtf8 { get; init; }

    /// <summary>Require AUTH PLAIN as this user before MAIL (null: no AUTH offered).</summary>
    public string? AuthUser { get; init; }

    /// <summary>The password of <see cref="AuthUser"/>.</summary>
    public string? AuthPassword { get; init; }

    /// <summary>
    /// Keep every accepted message and command for the test to read (default). A benchmark sink of 100,000 messages turns
    /// it off and looks at each message in <see cref="Observer"/> instead, so its memory stays flat.
    /// </summary>
    public bool KeepMessages { get; init; } = true;

    /// <summary>Called with each accepted message, on the session's thread, before it is counted.</summary>
    public Action<ReceivedMessage>? Observer { get; init; }
}
