using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mail.Frontends.Http.Import;

/// <summary>
/// Reads the lines of an account import: JSON lines (one object per line: address, password or password_hash, quota_bytes)
/// or CSV (RFC 4180: a header line naming the columns address, password, password_hash, quota_bytes in any order; quoted
/// fields may hold commas and doubled quotes). A line it cannot read is an error for that line only.
/// </summary>
public sealed class AccountImportParser
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private readonly bool _csv;
    private int[]? _columns;

    private AccountImportParser(bool csv) => _csv = csv;

    /// <summary>The parser for a request's media type, or null when the type is neither JSON lines nor CSV.</summary>
    public static AccountImportParser? For(string? contentType)
    {
        var media = (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        return media switch
        {
            "text/csv" => new AccountImportParser(csv: true),
            "application/x-ndjson" or "application/jsonl" or "application/x-jsonlines" or "application/json-lines" => new AccountImportParser(csv: false),
            _ => null,
        };
    }

    /// <summary>
    /// Reads one non-empty line: a row, or null for the CSV header. Throws <see cref="FormatException"/> with the reason
    /// when the line cannot be read (a CSV header that lacks the address column fails every later line).
    /// </summary>
    public AccountImportRow? Read(string line)
    {
        if (!_csv)
        {
            try
            {
                return JsonSerializer.Deserialize<AccountImportRow>(line, Json) ?? throw new FormatException("expected a JSON object");
            }
            catch (JsonException e)
            {
                throw new FormatException($"not a JSON object of address, password, password_hash, quota_bytes: {e.Message}");
            }
        }
        var fields = CsvFields(line);
        if (_columns is null)
        {
            var names = fields.Select(f => f.Trim().ToLowerInvariant()).ToArray();
            _columns = [Array.IndexOf(names, "address"), Array.IndexOf(names, "password"), Array.IndexOf(names, "quota_bytes"), Array.IndexOf(names, "password_hash")];
            var unknown = names.Where(n => n is not ("address" or "password" or "quota_bytes" or "password_hash")).ToArray();
            if (unknown.Length > 0) throw new FormatException($"unknown column(s) {string.Join(", ", unknown)}; the columns are address, password, password_hash, quota_bytes");
            return null;
        }
        if (_columns[0] < 0) throw new FormatException("the header line has no address column");
        string? Field(int column) => column >= 0 && column < fields.Count && fields[column].Length > 0 ? fields[column] : null;
        long? quota = null;
        if (Field(_columns[2]) is { } text)
        {
            quota = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new FormatException($"quota_bytes '{text}' is not a whole number of bytes");
        }
        return new AccountImportRow(Field(_columns[0]), Field(_columns[1]), quota, Field(_columns[3]));
    }

    /// <summary>The fields of a CSV record (RFC 4180 §2) held on one line.</summary>
    private static List<string> CsvFields(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') field.Append(line[++i]);
                else quoted = false;
            }
            else if (c == '"' && field.Length == 0) quoted = true;
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else field.Append(c);
        }
        if (quoted) throw new FormatException("a quoted field is not closed on its line");
        fields.Add(field.ToString());
        return fields;
    }
}
