namespace Mail.Grains.Mailboxes;

/// <summary>Threading settings, bound from "Mail:Threads".</summary>
public sealed class ThreadOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Mail:Threads";

    /// <summary>
    /// Days back that a message without known references joins the newest message with its base subject and a shared
    /// participant (1 to 365; 0 turns the subject fallback off).
    /// </summary>
    public int SubjectWindowDays { get; set; } = 30;
}
