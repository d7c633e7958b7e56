using System.Text;

namespace Mail.Grains.Reputation.Bulk;

/// <summary>
/// A subject or body with <c>{{name}}</c> placeholders (spaces inside the braces allowed; a name is letters, digits and
/// <c>_ . -</c>, at most 64), parsed once per job and rendered per recipient. A placeholder whose name the recipient's
/// substitutions lack renders empty; braces that do not form a placeholder stay as they are.
/// </summary>
public sealed class BulkTemplate
{
    private const int MaxName = 64;

    // Literal, name, literal, name, ..., literal: names at odd indexes.
    private readonly string[] _parts;

    private BulkTemplate(string[] parts) => _parts = parts;

    /// <summary>The placeholder names, in order of appearance.</summary>
    public IEnumerable<string> Names => _parts.Where((_, i) => i % 2 == 1);

    /// <summary>Splits <paramref name="text"/> into literals and placeholders.</summary>
    public static BulkTemplate Parse(string text)
    {
        var parts = new List<string>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0) break;
            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0) break;
            var name = text[(open + 2)..close].Trim();
            if (IsName(name))
            {
                literal.Append(text, i, open - i);
                parts.Add(literal.ToString());
                parts.Add(name);
                literal.Clear();
                i = close + 2;
            }
            else
            {
                // One brace on: in "{{{name}}}" the placeholder starts at the second brace.
                literal.Append(text, i, open + 1 - i);
                i = open + 1;
            }
        }
        literal.Append(text, i, text.Length - i);
        parts.Add(literal.ToString());
        return new BulkTemplate([.. parts]);
    }

    /// <summary>The text with each placeholder replaced by its substitution, escaped as <paramref name="escaping"/> says.</summary>
    public string Render(IReadOnlyDictionary<string, string> vars, TemplateEscaping escaping)
    {
        if (_parts.Length == 1) return _parts[0];
        var text = new StringBuilder(_parts.Sum(p => p.Length) + 64);
        for (var i = 0; i < _parts.Length; i++)
        {
            if (i % 2 == 0) text.Append(_parts[i]);
            else if (vars.TryGetValue(_parts[i], out var value)) Append(text, value, escaping);
        }
        return text.ToString();
    }

    private static void Append(StringBuilder text, string value, TemplateEscaping escaping)
    {
        switch (escaping)
        {
            case TemplateEscaping.Html:
                // The five characters that end text or an attribute value (HTML Living Standard §13.1.2.3, §13.1.4).
                foreach (var c in value)
                {
                    switch (c)
                    {
                        case '&': text.Append("&amp;"); break;
                        case '<': text.Append("&lt;"); break;
                        case '>': text.Append("&gt;"); break;
                        case '"': text.Append("&quot;"); break;
                        case '\'': text.Append("&#39;"); break;
                        default: text.Append(c); break;
                    }
                }
                break;
            case TemplateEscaping.HeaderText:
                // A header field is one line (RFC 5322 §2.2): no substitution may fold or end it.
                foreach (var c in value) text.Append(char.IsControl(c) ? ' ' : c);
                break;
            default:
                text.Append(value);
                break;
        }
    }

    private static bool IsName(string name) =>
        name.Length is > 0 and <= MaxName && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
}
