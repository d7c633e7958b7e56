using MimeKit;

namespace Mail.Bench.Search;

/// <summary>
/// Realistic generated mail for the search benchmark, the same for a given seed: 300 senders, subjects and bodies
/// drawn from business vocabulary with known phrases, one message in five with an attachment, labels, a year of dates.
/// </summary>
public sealed class SearchCorpus(int seed)
{
    private static readonly string[] First = ["alice", "bruno", "chloe", "dmitri", "elena", "farid", "grace", "hiro", "ines", "jonas", "kira", "liam", "maya", "noah", "olga"];
    private static readonly string[] Last = ["archer", "baker", "castro", "dubois", "evans", "fischer", "garcia", "hughes", "ito", "jensen", "kowalski", "lopez", "meyer", "novak", "okafor", "park", "quinn", "rossi", "schmidt", "tanaka"];
    private static readonly string[] Domains = ["northwind.example", "contoso.example", "fabrikam.example", "tailspin.example", "adventure-works.example", "lists.example.org"];

    /// <summary>Sender names and addresses.</summary>
    public static readonly string[] Senders = [.. Enumerable.Range(0, 300).Select(i =>
        $"{First[i % First.Length]}.{Last[i / First.Length % Last.Length]}{i}@{Domains[i % Domains.Length]}")];

    /// <summary>Phrases woven into bodies, for the phrase queries.</summary>
    public static readonly string[] Phrases =
    [
        "quarterly budget review", "board meeting minutes", "customer escalation", "release candidate", "travel reimbursement",
        "security incident report", "performance review cycle", "shipping delay", "contract renewal", "office relocation",
        "marketing launch plan", "server maintenance window", "holiday schedule", "invoice overdue", "hiring committee",
    ];

    private static readonly string[] Words =
    [
        "project", "timeline", "update", "team", "client", "proposal", "draft", "feedback", "deadline", "agenda", "notes", "review",
        "schedule", "report", "numbers", "forecast", "revenue", "costs", "approval", "design", "prototype", "testing", "deploy",
        "customer", "support", "ticket", "issue", "resolved", "pending", "meeting", "call", "tomorrow", "friday", "monday", "office",
        "remote", "travel", "hotel", "flight", "conference", "workshop", "training", "budget", "quarter", "target", "results",
        "analysis", "summary", "document", "attached", "please", "thanks", "regards", "question", "answer", "follow", "discuss",
    ];

    private static readonly string[] Attachments = ["invoice", "report", "contract", "slides", "budget", "scan", "photo", "minutes", "roadmap", "receipt"];
    private static readonly string[] Extensions = ["pdf", "xlsx", "docx", "pptx", "png", "csv"];

    /// <summary>Labels some messages carry (one in ten each).</summary>
    public static readonly string[] Labels = ["work", "finance", "travel"];

    private readonly Random _random = new(seed);

    /// <summary>One generated message: the MIME message, its labels, whether it is read, and its received date.</summary>
    public (MimeMessage Message, string[] Labels, bool Seen, DateTimeOffset Date) Next(string to, DateTimeOffset now, int index)
    {
        var sender = Senders[_random.Next(Senders.Length)];
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(Capitalized(sender.Split('.')[0]) + " " + Capitalized(new string(sender.Split('.')[1].TakeWhile(char.IsLetter).ToArray())), sender));
        message.To.Add(MailboxAddress.Parse(to));
        var phrase = Phrases[_random.Next(Phrases.Length)];
        message.Subject = _random.Next(3) == 0 ? "Re: " + Capitalized(phrase) : Capitalized(Sentence(4));
        message.MessageId = $"bench-{index}@{sender.Split('@')[1]}";
        var date = now.AddSeconds(-(double)_random.Next(365 * 24 * 3600));
        message.Date = date;
        if (sender.EndsWith("lists.example.org", StringComparison.Ordinal)) message.Headers.Add("List-Id", "Team updates <updates.lists.example.org>");
        var body = new BodyBuilder();
        var paragraphs = Enumerable.Range(0, 2 + _random.Next(4)).Select(_ => Sentence(25 + _random.Next(40))).ToList();
        paragraphs.Insert(_random.Next(paragraphs.Count), $"Regarding the {phrase}, {Sentence(12)}.");
        if (_random.Next(4) == 0) body.HtmlBody = "<html><body>" + string.Concat(paragraphs.Select(p => $"<p>{p}.</p>")) + "</body></html>";
        else body.TextBody = string.Join("\n\n", paragraphs.Select(p => p + "."));
        if (_random.Next(5) == 0)
        {
            var name = $"{Attachments[_random.Next(Attachments.Length)]}-{_random.Next(1000, 9999)}.{Extensions[_random.Next(Extensions.Length)]}";
            body.Attachments.Add(name, new byte[512 + _random.Next(2048)], new ContentType("application", "octet-stream"));
        }
        message.Body = body.ToMessageBody();
        var labels = Labels.Where(_ => _random.Next(10) == 0).ToArray();
        return (message, labels, _random.Next(5) != 0, date);
    }

    /// <summary>A random sender's address.</summary>
    public string Sender() => Senders[_random.Next(Senders.Length)];

    /// <summary>A random body word.</summary>
    public string Word() => Words[_random.Next(Words.Length)];

    /// <summary>A random attachment base name.</summary>
    public string AttachmentName() => Attachments[_random.Next(Attachments.Length)];

    /// <summary>A random number below <paramref name="max"/>.</summary>
    public int Next(int max) => _random.Next(max);

    private string Sentence(int words) => string.Join(' ', Enumerable.Range(0, words).Select(_ => Words[_random.Next(Words.Length)]));

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
