using System.Text;

namespace Mail.Bench.Delivery;

/// <summary>Plain text bodies of a given size, in short lines as a person would write, so MIME keeps them 7bit.</summary>
public static class MessageText
{
    private static readonly string[] Words =
    [
        "the", "meeting", "moved", "to", "thursday", "please", "review", "attached", "draft", "before", "lunch",
        "budget", "figures", "for", "next", "quarter", "look", "reasonable", "but", "travel", "line", "seems", "high",
        "thanks", "again", "regards", "project", "status", "update", "customer", "asked", "about", "delivery", "dates",
    ];

    /// <summary>ASCII text of exactly <paramref name="size"/> bytes, lines of at most 72 characters.</summary>
    public static string Build(int size)
    {
        var text = new StringBuilder(size + 80);
        var line = 0;
        for (var i = 0; text.Length < size; i++)
        {
            var word = Words[(i * 7 + i / Words.Length) % Words.Length];
            if (line + word.Length + 1 > 72)
            {
                text.Append('\n');
                line = 0;
            }
            else if (line > 0)
            {
                text.Append(' ');
                line++;
            }
            text.Append(word);
            line += word.Length;
        }
        text.Length = size;
        return text.ToString();
    }
}
