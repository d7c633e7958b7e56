using System.Text;
using Mail.Frontends.Tests.Smtp;

namespace Mail.Frontends.Tests.Imap;

/// <summary>Known messages appended over IMAP, so sizes and sections in transcripts are exact.</summary>
public static class ImapMessages
{
    /// <summary>A small text message with the given subject and body line.</summary>
    public static string Simple(string subject, string body = "Hi Bob.") =>
        "From: Alice <alice@example.test>\r\nTo: Bob <bob@example.test>\r\n" +
        $"Subject: {subject}\r\nDate: Mon, 03 Feb 2025 10:00:00 +0000\r\nMessage-ID: <{subject.Replace(' ', '-')}@example.test>\r\n\r\n{body}\r\n";

    /// <summary>The APPEND script lines for a message: command with a synchronizing literal, continuation, content, final CRLF.</summary>
    public static string AppendScript(string tag, string mailbox, string flags, string message)
    {
        var builder = new StringBuilder();
        builder.Append($"C: {tag} APPEND {mailbox} {flags}{{{Encoding.UTF8.GetByteCount(message)}}}\n");
        builder.Append("S: + Ready for literal data\n");
        foreach (var line in message.Split("\r\n")[..^1]) builder.Append("C: ").Append(line).Append('\n');
        builder.Append("C:\n");
        return builder.ToString();
    }

    /// <summary>Appends a message and checks the APPENDUID answer.</summary>
    public static async Task AppendAsync(SmtpTranscript imap, string mailbox, string flags, string message, long uid)
    {
        await imap.RunAsync(AppendScript("ap", mailbox, flags, message));
        var line = await imap.ExpectLineStartsWithAsync("ap OK [APPENDUID ");
        Assert.EndsWith($" {uid}] APPEND completed", line);
    }
}
