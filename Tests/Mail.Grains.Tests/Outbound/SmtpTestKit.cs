using System.Net;
using System.Text;
using Mail.Grains.Outbound;
using Mail.Grains.Outbound.Dns;
using Mail.Grains.Outbound.Smtp;

namespace Mail.Grains.Tests.Outbound;

/// <summary>Options, endpoints and messages for the SMTP client tests.</summary>
internal static class SmtpTestKit
{
    public const string MxName = "mx.receiver.test";

    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static OutboundOptions Options(string? sourceAddress = null, bool relayRequireTls = true) => new()
    {
        Hostname = "mta.sender.test",
        SourceAddress = sourceAddress,
        ConnectTimeoutSeconds = 5,
        CommandTimeoutSeconds = 10,
        RelayRequireTls = relayRequireTls,
    };

    public static OutboundEndpoint Endpoint(TestSmtpReceiver receiver, TlsRequirement? tls = null, ServerCertificateCheck? check = null,
        SmtpCredentials? credentials = null, IPAddress? sourceAddress = null) =>
        new(MxName, receiver.EndPoint.Address, receiver.EndPoint.Port, tls ?? TlsRequirement.None, check, credentials, sourceAddress);

    public static Task<OutboundConnection> OpenAsync(TestSmtpReceiver receiver, OutboundOptions? options = null) =>
        OutboundConnection.OpenAsync(Endpoint(receiver), options ?? Options(), CancellationToken.None);

    /// <summary>A message whose content is served from memory; <paramref name="seekable"/> false makes the client reopen it after scanning.</summary>
    public static OutboundMessage Message(byte[] content, string[]? to = null, byte[]? prefix = null, string from = "sender@sender.test", bool seekable = true) =>
        new(from, to ?? ["rcpt@receiver.test"], prefix,
            _ => Task.FromResult<Stream>(seekable ? new MemoryStream(content, writable: false) : new ForwardOnlyStream(content)),
            content.Length);

    public static byte[] Content(string body, string subject = "test") =>
        Encoding.UTF8.GetBytes($"From: sender@sender.test\r\nTo: rcpt@receiver.test\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@sender.test>\r\n\r\n{body}");

    public static byte[] Concat(byte[] first, byte[] second) => [.. first, .. second];

    /// <summary>A stream that cannot seek, like a decrypting blob read.</summary>
    private sealed class ForwardOnlyStream(byte[] content) : MemoryStream(content, writable: false)
    {
        public override bool CanSeek => false;
    }
}
