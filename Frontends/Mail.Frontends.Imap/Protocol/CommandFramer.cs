using System.Buffers;
using System.Text;

namespace Mail.Frontends.Imap.Protocol;

/// <summary>
/// Finds the end of one IMAP command in the input: lines, each possibly ending in a literal announcement
/// <c>{n}</c> (synchronizing, RFC 9051 §4.3) or <c>{n+}</c> (non-synchronizing, RFC 7888), followed by the
/// literal's octets. Bounds line length, literal size and command size; an oversized synchronizing literal is
/// refused before the client sends it, an oversized non-synchronizing one is skipped without being stored.
/// The command's bytes are kept exactly as received (CRLFs included) for <see cref="ImapCommandParser"/>, except a
/// literal the caller streams elsewhere (<see cref="StreamLiteral"/>, APPEND's message), which is left as an empty one.
/// </summary>
public sealed class CommandFramer
{
    private const int MaxTagLength = 64;
    private ArrayBufferWriter<byte> _command = new(1024);
    private long _literalRemaining;
    private long _total;
    private bool _discarding;
    private bool _skippingLine;
    private bool _firstLine = true;

    /// <summary>The bounds in force; the session widens them after authentication.</summary>
    public ImapLimits Limits { get; set; }

    /// <summary>Creates a framer with the given bounds.</summary>
    public CommandFramer(ImapLimits limits) => Limits = limits;

    /// <summary>The tag of the command being framed, once its first line is known (for error replies).</summary>
    public string? Tag { get; private set; }

    /// <summary>Why the command was refused.</summary>
    public string? Error { get; private set; }

    /// <summary>Whether the refusal is for a literal larger than the limit (RFC 9051 §7.1: TOOBIG).</summary>
    public bool TooBig { get; private set; }

    /// <summary>Size of the synchronizing literal accepted with <see cref="FrameStatus.Continue"/>, or of the literal to stream after <see cref="FrameStatus.Literal"/>.</summary>
    public long PendingLiteral => _streaming ?? _literalRemaining;

    /// <summary>Whether the literal of <see cref="FrameStatus.Literal"/> is synchronizing (the client waits for "+").</summary>
    public bool PendingSynchronizing { get; private set; }

    /// <summary>
    /// Decides which literals the caller streams instead of keeping them in the command: given the command's earlier
    /// lines, the line announcing the literal, and its size. Null: every literal is kept.
    /// </summary>
    public Func<ReadOnlyMemory<byte>, ReadOnlySequence<byte>, long, bool>? StreamLiteral { get; set; }

    private long? _streaming;

    /// <summary>The complete command, valid until <see cref="Reset"/>.</summary>
    public ReadOnlyMemory<byte> Command => _command.WrittenMemory;

    /// <summary>Consumes input until a command is complete or more input is needed.</summary>
    public FrameStatus Read(ref SequenceReader<byte> reader)
    {
        while (true)
        {
            if (_literalRemaining > 0)
            {
                var take = Math.Min(_literalRemaining, reader.Remaining);
                if (take == 0) return FrameStatus.Incomplete;
                if (!_discarding)
                {
                    foreach (var segment in reader.UnreadSequence.Slice(0, take)) _command.Write(segment.Span);
                }
                reader.Advance(take);
                _literalRemaining -= take;
                if (_literalRemaining > 0) return FrameStatus.Incomplete;
                continue;
            }
            if (_skippingLine)
            {
                if (!reader.TryAdvanceTo((byte)'\n'))
                {
                    reader.AdvanceToEnd();
                    return FrameStatus.Incomplete;
                }
                _skippingLine = false;
                return Reject();
            }
            if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
            {
                if (reader.Remaining < Limits.MaxLineLength) return FrameStatus.Incomplete;
                if (_firstLine) Tag ??= TagOf(reader.UnreadSequence);
                Fail($"Line longer than {Limits.MaxLineLength} octets");
                _skippingLine = true;
                continue;
            }
            if (line.Length > 0 && line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r') line = line.Slice(0, line.Length - 1);
            if (_firstLine)
            {
                Tag = TagOf(line);
                _firstLine = false;
            }
            if (line.Length + 2 > Limits.MaxLineLength) Fail($"Line longer than {Limits.MaxLineLength} octets");
            _total += line.Length + 2;
            if (_total > Limits.MaxCommandBytes) Fail("Command too long");
            var literal = TryLiteral(line, out var size, out var synchronizing);
            var stream = literal && !_discarding && size > 0 && size <= Limits.MaxLiteralBytes && StreamLiteral?.Invoke(_command.WrittenMemory, line, size) == true;
            if (!_discarding)
            {
                // A streamed literal stays in the command as an empty one, so the parser still sees where it was.
                foreach (var segment in stream ? line.Slice(0, AnnouncementStart(line)) : line) _command.Write(segment.Span);
                _command.Write(stream ? "{0}\r\n"u8 : "\r\n"u8);
            }
            if (!literal)
            {
                return _discarding ? Reject() : FrameStatus.Complete;
            }
            if (stream)
            {
                _streaming = size;
                PendingSynchronizing = synchronizing;
                return FrameStatus.Literal;
            }
            if (synchronizing)
            {
                // The client waits for "+": a tagged reply instead tells it the command is refused (RFC 9051 §7.5).
                if (_discarding) return Reject();
                if (size > Limits.MaxLiteralBytes) return Reject($"Literal of {size} octets is larger than {Limits.MaxLiteralBytes}", tooBig: true);
                if (_total + size > Limits.MaxCommandBytes) return Reject("Command too long", tooBig: true);
                _literalRemaining = size;
                _total += size;
                if (size == 0) return FrameStatus.Continue;
                _command.GetSpan((int)Math.Min(size, 1 << 20));
                return FrameStatus.Continue;
            }
            if (size > Limits.MaxLiteralBytes || _total + size > Limits.MaxCommandBytes)
            {
                // RFC 7888 §4: the octets are on their way and must be read past; past a sane bound, hang up instead.
                if (size > Math.Max(Limits.MaxLiteralBytes, 64 * 1024) * 2) return FrameStatus.Fatal;
                Fail($"Literal of {size} octets is larger than {Limits.MaxLiteralBytes}", tooBig: true);
            }
            _literalRemaining = size;
            _total += size;
            if (size == 0) continue;
        }
    }

    /// <summary>The caller has consumed the literal of <see cref="FrameStatus.Literal"/>: framing goes on with the rest of the command.</summary>
    public void LiteralStreamed()
    {
        _streaming = null;
        PendingSynchronizing = false;
    }

    /// <summary>Forgets the current command and prepares for the next.</summary>
    public void Reset()
    {
        if (_command.Capacity > 64 * 1024) _command = new ArrayBufferWriter<byte>(1024);
        else _command.ResetWrittenCount();
        _literalRemaining = 0;
        _total = 0;
        _discarding = false;
        _skippingLine = false;
        _firstLine = true;
        _streaming = null;
        PendingSynchronizing = false;
        Tag = null;
        Error = null;
        TooBig = false;
    }

    /// <summary>
    /// Whether a line ends in a literal announcement: "{" number ["+" | "-"] "}" (RFC 9051 §4.3, RFC 7888; a
    /// leading "~" for literal8, RFC 3516, is left to the parser).
    /// </summary>
    public static bool TryLiteral(ReadOnlySequence<byte> line, out long size, out bool synchronizing)
    {
        size = 0;
        synchronizing = true;
        if (line.Length < 3) return false;
        var tailLength = (int)Math.Min(line.Length, 24);
        Span<byte> tail = stackalloc byte[tailLength];
        line.Slice(line.Length - tailLength).CopyTo(tail);
        if (tail[^1] != (byte)'}') return false;
        var end = tail.Length - 1;
        if (tail[end - 1] is (byte)'+' or (byte)'-')
        {
            synchronizing = false;
            end--;
        }
        var start = end;
        while (start > 0 && tail[start - 1] is >= (byte)'0' and <= (byte)'9') start--;
        if (start == end || start == 0 || tail[start - 1] != (byte)'{' || end - start > 10) return false;
        foreach (var b in tail[start..end]) size = size * 10 + (b - '0');
        return size <= uint.MaxValue;
    }

    /// <summary>Where the literal announcement "{n}" (or "{n+}") that <see cref="TryLiteral"/> found starts in the line.</summary>
    private static long AnnouncementStart(ReadOnlySequence<byte> line)
    {
        var tailLength = (int)Math.Min(line.Length, 24);
        Span<byte> tail = stackalloc byte[tailLength];
        line.Slice(line.Length - tailLength).CopyTo(tail);
        return line.Length - tailLength + tail.LastIndexOf((byte)'{');
    }

    private static string? TagOf(ReadOnlySequence<byte> line)
    {
        var length = (int)Math.Min(line.Length, MaxTagLength + 1);
        Span<byte> head = stackalloc byte[length];
        line.Slice(0, length).CopyTo(head);
        var space = head.IndexOf((byte)' ');
        var tag = space < 0 ? head : head[..space];
        if (tag.Length is 0 or > MaxTagLength) return null;
        foreach (var b in tag)
        {
            if (!ImapSyntax.IsAStringChar(b) || b == (byte)'+') return null;
        }
        return Encoding.ASCII.GetString(tag);
    }

    private void Fail(string error, bool tooBig = false)
    {
        if (_discarding) return;
        _discarding = true;
        Error = error;
        TooBig = tooBig;
        _command.ResetWrittenCount();
    }

    private FrameStatus Reject(string? error = null, bool tooBig = false)
    {
        if (error is not null) Fail(error, tooBig);
        return FrameStatus.Rejected;
    }
}
