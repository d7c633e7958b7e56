using System.Buffers;
using System.Text;
using System.Text.Json;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Bulk;

namespace Mail.Frontends.Http.Bulk;

/// <summary>
/// Reads a POST /v1/bulk body (RFC 8259 JSON) as it arrives, without ever holding all of it: the top-level members
/// (from, subject, text, html, class) are kept, and each element of "recipients" is handed out as soon as it is complete,
/// so 100,000 recipients cost one batch of memory. Resumable: each call continues where the last stopped (the reader's
/// state and the position it consumed to), and an element split between two reads is read again whole.
/// </summary>
public sealed class BulkRequestParser(int maxRecipients)
{
    private JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = 8 });
    private Stage _stage = Stage.Start;
    private string? _member;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    private enum Stage { Start, Members, Value, RecipientsStart, Recipients, End }

    /// <summary>The "from" member.</summary>
    public string? From { get; private set; }

    /// <summary>The "subject" member.</summary>
    public string? Subject { get; private set; }

    /// <summary>The "text" member.</summary>
    public string? Text { get; private set; }

    /// <summary>The "html" member.</summary>
    public string? Html { get; private set; }

    /// <summary>The "class" member.</summary>
    public string? Class { get; private set; }

    /// <summary>Recipients read so far.</summary>
    public int RecipientCount { get; private set; }

    /// <summary>Whether the top-level object has ended.</summary>
    public bool Done => _stage == Stage.End;

    /// <summary>
    /// Reads <paramref name="buffer"/> until it ends, the object ends, or <paramref name="batch"/> holds
    /// <paramref name="batchLimit"/> recipients; returns how far it consumed. Throws <see cref="BulkRequestException"/>
    /// (or <see cref="JsonException"/> for malformed JSON).
    /// </summary>
    public SequencePosition Parse(ReadOnlySequence<byte> buffer, bool isFinalBlock, List<BulkRecipient> batch, int batchLimit)
    {
        var reader = new Utf8JsonReader(buffer, isFinalBlock, _state);
        var consumed = reader.Position;
        var state = reader.CurrentState;
        while (_stage != Stage.End && batch.Count < batchLimit)
        {
            if (!reader.Read()) break;
            switch (_stage)
            {
                case Stage.Start:
                    if (reader.TokenType != JsonTokenType.StartObject) throw new BulkRequestException("The body must be a JSON object.");
                    _stage = Stage.Members;
                    break;
                case Stage.Members:
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        _stage = Stage.End;
                        break;
                    }
                    _member = reader.GetString()!;
                    if (!_seen.Add(_member)) throw new BulkRequestException($"\"{_member}\" appears twice.");
                    _stage = _member switch
                    {
                        "recipients" => Stage.RecipientsStart,
                        "from" or "subject" or "text" or "html" or "class" => Stage.Value,
                        _ => throw new BulkRequestException($"Unknown member \"{_member}\"; a job has from, subject, text, html, class and recipients."),
                    };
                    break;
                case Stage.Value:
                    SetMember(ref reader);
                    _stage = Stage.Members;
                    break;
                case Stage.RecipientsStart:
                    if (reader.TokenType != JsonTokenType.StartArray) throw new BulkRequestException("recipients must be an array.");
                    _stage = Stage.Recipients;
                    break;
                case Stage.Recipients:
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        _stage = Stage.Members;
                        break;
                    }
                    if (reader.TokenType != JsonTokenType.StartObject) throw new BulkRequestException($"recipients[{RecipientCount}] must be an object.");
                    var element = reader;
                    // Not all of the element is here yet: read it again from its start once more has arrived.
                    if (!reader.TrySkip()) return Stop(consumed, state);
                    if (RecipientCount == maxRecipients)
                    {
                        throw new BulkRequestException($"A job has at most {maxRecipients} recipients; send more as several jobs.");
                    }
                    batch.Add(ReadRecipient(ref element, RecipientCount));
                    RecipientCount++;
                    break;
            }
            consumed = reader.Position;
            state = reader.CurrentState;
        }
        return Stop(consumed, state);
    }

    private SequencePosition Stop(SequencePosition consumed, JsonReaderState state)
    {
        _state = state;
        return consumed;
    }

    private void SetMember(ref Utf8JsonReader reader)
    {
        var value = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null when _member is "text" or "html" => null,
            _ => throw new BulkRequestException($"{_member} must be a string."),
        };
        switch (_member)
        {
            case "from": From = value; break;
            case "subject": Subject = value; break;
            case "text": Text = value; break;
            case "html": Html = value; break;
            default: Class = value; break;
        }
    }

    /// <summary>Reads one element, {"to": "...", "vars": {"name": "value", ...}}; vars values may be strings, numbers or booleans.</summary>
    private static BulkRecipient ReadRecipient(ref Utf8JsonReader reader, int index)
    {
        string? to = null;
        Dictionary<string, string>? vars = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "to":
                    if (reader.TokenType != JsonTokenType.String) throw new BulkRequestException($"recipients[{index}].to must be a string.");
                    to = reader.GetString();
                    break;
                case "vars":
                    vars = ReadVars(ref reader, index);
                    break;
                default:
                    throw new BulkRequestException($"Unknown member recipients[{index}].{name}; a recipient has to and vars.");
            }
        }
        if (AddressKey.Normalize(to) is null) throw new BulkRequestException($"recipients[{index}].to '{to}' is not an e-mail address.");
        return new BulkRecipient(to!, vars is null || vars.Count == 0 ? null : JsonSerializer.Serialize(vars));
    }

    private static Dictionary<string, string>? ReadVars(ref Utf8JsonReader reader, int index)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartObject) throw new BulkRequestException($"recipients[{index}].vars must be an object.");
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    vars[name] = reader.GetString()!;
                    break;
                case JsonTokenType.Number:
                    vars[name] = Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
                    break;
                case JsonTokenType.True or JsonTokenType.False:
                    vars[name] = reader.GetBoolean() ? "true" : "false";
                    break;
                case JsonTokenType.Null:
                    break;
                default:
                    throw new BulkRequestException($"recipients[{index}].vars.{name} must be a string, a number or a boolean.");
            }
        }
        return vars;
    }
}
