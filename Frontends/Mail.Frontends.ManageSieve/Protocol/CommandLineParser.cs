using System.Text;

namespace Mail.Frontends.ManageSieve.Protocol;

/// <summary>
/// Reads the tokens of one line of a ManageSieve command (RFC 5804 §4): atoms, numbers, quoted strings (with \" and \\)
/// and, at the end of a line, a literal announcement "{n+}" or "{n}" whose octets follow the line.
/// </summary>
public static class CommandLineParser
{
    /// <summary>Appends the line's tokens to <paramref name="tokens"/>; returns the announced literal's size, -1 for none, or sets <paramref name="error"/>.</summary>
    public static long Parse(string line, List<string> tokens, out string? error)
    {
        error = null;
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == ' ')
            {
                i++;
                continue;
            }
            if (c == '"')
            {
                var builder = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        error = "unterminated quoted string";
                        return -1;
                    }
                    if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\')
                    {
                        builder.Append(line[i + 1]);
                        i += 2;
                        continue;
                    }
                    if (line[i] == '"')
                    {
                        i++;
                        break;
                    }
                    builder.Append(line[i++]);
                }
                tokens.Add(builder.ToString());
                continue;
            }
            if (c == '{')
            {
                var close = line.IndexOf('}', i);
                if (close != line.Length - 1)
                {
                    error = "a literal {n+} must end the line";
                    return -1;
                }
                var size = line[(i + 1)..close].TrimEnd('+');
                if (!long.TryParse(size, System.Globalization.NumberStyles.None, null, out var length))
                {
                    error = "bad literal size";
                    return -1;
                }
                return length;
            }
            var start = i;
            while (i < line.Length && line[i] is not (' ' or '"' or '{')) i++;
            tokens.Add(line[start..i]);
        }
        return -1;
    }
}
