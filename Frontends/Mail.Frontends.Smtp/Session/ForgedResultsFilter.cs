using System.Buffers;
using System.Text;
using Mail.Security.Results;

namespace Mail.Frontends.Smtp.Session;

/// <summary>
/// Removes, while the message streams, every Authentication-Results field of the header section whose authserv-id is
/// ours (RFC 8601 §5: a receiver must not trust, and should delete, results that claim to be its own). Everything else
/// passes through unchanged. Only such a field is held, up to <see cref="MaxFieldBytes"/>; a longer one is dropped
/// whole, as no results field we write comes near that size. What is held or passed depends on the bytes only, never on
/// how they are split into chunks (a name padded with spaces before its colon across a chunk end was passed once). After the blank line the body passes untouched.
/// </summary>
public sealed class ForgedResultsFilter(string authServId)
{
    /// <summary>Largest Authentication-Results field held to read its authserv-id.</summary>
    public const int MaxFieldBytes = 64 * 1024;

    private const string FieldName = "Authentication-Results";

    private readonly ArrayBufferWriter<byte> _held = new();
    private Mode _mode = Mode.LineStart;
    private bool _holding;
    private bool _oversized;

    private enum Mode
    {
        LineStart,
        Name,
        PassLine,
        BlankLine,
        HoldLine,
        Body,
    }

    /// <summary>Passes <paramref name="data"/> to <paramref name="emit"/> minus forged fields.</summary>
    public void Write(ReadOnlySpan<byte> data, Action<ReadOnlySpan<byte>> emit)
    {
        while (data.Length > 0)
        {
            switch (_mode)
            {
                case Mode.Body:
                    emit(data);
                    return;
                case Mode.PassLine:
                case Mode.BlankLine:
                case Mode.HoldLine:
                {
                    var lf = data.IndexOf((byte)'\n');
                    var piece = lf < 0 ? data : data[..(lf + 1)];
                    if (_mode == Mode.HoldLine) Hold(piece);
                    else emit(piece);
                    if (lf >= 0) _mode = _mode == Mode.BlankLine ? Mode.Body : Mode.LineStart;
                    data = data[piece.Length..];
                    break;
                }
                case Mode.LineStart:
                {
                    var b = data[0];
                    if (b is (byte)' ' or (byte)'\t')
                    {
                        // A continuation line belongs to the field before it.
                        _mode = _holding ? Mode.HoldLine : Mode.PassLine;
                        break;
                    }
                    Release(emit);
                    if (b is (byte)'\r' or (byte)'\n')
                    {
                        // The blank line ends the header section (RFC 5322 §2.1).
                        _mode = Mode.BlankLine;
                        break;
                    }
                    _mode = Mode.Name;
                    break;
                }
                case Mode.Name:
                {
                    var end = data.IndexOfAny((byte)':', (byte)'\n');
                    var piece = end < 0 ? data : data[..(end + 1)];
                    _held.Write(piece);
                    data = data[piece.Length..];
                    if (end < 0)
                    {
                        // The name goes on in the next chunk. Whether it can still be ours depends on the bytes alone,
                        // never on where a chunk ends: RFC 5322 §4.5.3 (obs-optional) allows any WSP before the colon.
                        if (!CouldBeOurs(_held.WrittenSpan))
                        {
                            emit(_held.WrittenSpan);
                            _held.Clear();
                            _mode = Mode.PassLine;
                        }
                        else if (_held.WrittenCount > MaxFieldBytes)
                        {
                            _held.Clear();
                            (_holding, _oversized, _mode) = (true, true, Mode.HoldLine);
                        }
                        break;
                    }
                    if (_held.WrittenCount - 1 > MaxFieldBytes && CouldBeOurs(_held.WrittenSpan[..^1]))
                    {
                        // As above, had the name arrived in pieces: too long to be ours, dropped with its line.
                        var ended = _held.WrittenSpan[^1] == (byte)'\n';
                        _held.Clear();
                        (_holding, _oversized, _mode) = (true, true, ended ? Mode.LineStart : Mode.HoldLine);
                        break;
                    }
                    var name = Encoding.ASCII.GetString(_held.WrittenSpan).TrimEnd(':', ' ', '\t');
                    if (_held.WrittenSpan[^1] == (byte)':' && name.Equals(FieldName, StringComparison.OrdinalIgnoreCase))
                    {
                        _holding = true;
                        _mode = Mode.HoldLine;
                        break;
                    }
                    emit(_held.WrittenSpan);
                    var lineEnded = _held.WrittenSpan[^1] == (byte)'\n';
                    _held.Clear();
                    _mode = lineEnded ? Mode.LineStart : Mode.PassLine;
                    break;
                }
            }
        }
    }

    /// <summary>Ends the message: a field still held (a message without body) is decided now.</summary>
    public void Complete(Action<ReadOnlySpan<byte>> emit)
    {
        if (_mode == Mode.Name)
        {
            emit(_held.WrittenSpan);
            _held.Clear();
        }
        Release(emit);
        _mode = Mode.Body;
    }

    private void Hold(ReadOnlySpan<byte> piece)
    {
        if (_held.WrittenCount + piece.Length > MaxFieldBytes) _oversized = true;
        if (!_oversized) _held.Write(piece);
    }

    /// <summary>Whether a field name read so far (no colon yet) may still turn out to be Authentication-Results: a prefix of it, or all of it then only WSP.</summary>
    private static bool CouldBeOurs(ReadOnlySpan<byte> name)
    {
        var length = Math.Min(name.Length, FieldName.Length);
        for (var i = 0; i < length; i++)
        {
            if (char.ToLowerInvariant((char)name[i]) != char.ToLowerInvariant(FieldName[i])) return false;
        }
        foreach (var b in name[length..])
        {
            if (b is not ((byte)' ' or (byte)'\t')) return false;
        }
        return true;
    }

    /// <summary>Emits the held field unless it claims our authserv-id (or was too long to read).</summary>
    private void Release(Action<ReadOnlySpan<byte>> emit)
    {
        if (!_holding) return;
        var text = Encoding.UTF8.GetString(_held.WrittenSpan);
        var value = text[(text.IndexOf(':') + 1)..];
        var forged = _oversized || string.Equals(AuthResultsSyntax.AuthServId(value), authServId, StringComparison.OrdinalIgnoreCase);
        if (!forged) emit(_held.WrittenSpan);
        _held.Clear();
        _holding = false;
        _oversized = false;
    }
}
