using Mail.Frontends.Imap.Session;
using Mail.Grains.Interfaces.Errors;

namespace Mail.Frontends.Imap.Commands;

/// <summary>Maps grain refusals to tagged NO responses with RFC 5530 response codes.</summary>
public static class MailErrors
{
    /// <summary>The NO for a <see cref="MailException"/>.</summary>
    public static ImapResult ToResult(MailException e) => e.Code switch
    {
        MailErrorCode.NotFound => ImapResult.No(e.Message, "NONEXISTENT"),
        MailErrorCode.AlreadyExists => ImapResult.No(e.Message, "ALREADYEXISTS"),
        MailErrorCode.QuotaExceeded => ImapResult.No(e.Message, "OVERQUOTA"),
        MailErrorCode.Suspended => ImapResult.No(e.Message, "UNAVAILABLE"),
        MailErrorCode.Fenced => ImapResult.No("The mailbox is busy, try again", "UNAVAILABLE"),
        _ => ImapResult.No(e.Message, "CANNOT"),
    };
}
