using System.Buffers;

namespace Mail.Frontends.Hosting;

/// <summary>One line read by <see cref="ConnectionTransport.ReadLineAsync"/>: its octets without the line end, or too long to keep.</summary>
public readonly record struct ProtocolLine(LineStatus Status, ReadOnlySequence<byte> Line);
