using Mail.Grains.Interfaces.Bulk;
using MimeKit;
using MimeKit.Utils;

namespace Mail.Grains.Reputation.Bulk;

/// <summary>
/// Makes one personalised message of a job: From, To, the rendered Subject and bodies (text, HTML, or both as
/// multipart/alternative), Date, Message-ID and, for marketing mail, the one-click unsubscribe fields of RFC 8058 §3.1
/// (RFC 2369 List-Unsubscribe with an HTTPS URI and a mailto, and List-Unsubscribe-Post), which the signer covers.
/// </summary>
public static class BulkMessageBuilder
{
    /// <summary>The substitution every marketing message offers: the recipient's unsubscribe URL, for a visible link.</summary>
    public const string UnsubscribeUrlVar = "unsubscribe_url";

    /// <summary>The body of the one-click POST (RFC 8058 §3.1), and the value of List-Unsubscribe-Post.</summary>
    public const string OneClick = "List-Unsubscribe=One-Click";

    /// <summary>The message to <paramref name="address"/> with <paramref name="vars"/> substituted.</summary>
    public static MimeMessage Build(BulkJobContext context, string address, Dictionary<string, string> vars, DateTimeOffset now)
    {
        var job = context.Job;
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(job.FromName, job.FromAddress));
        message.To.Add(new MailboxAddress("", address));
        if (context.Unsubscribe is { } signer)
        {
            var token = signer.Issue(address);
            var url = $"https://{context.PublicHost}/v1/unsubscribe/{token}";
            vars[UnsubscribeUrlVar] = url;
            // The mailto is offered only when its address fits a path (a very long recipient address makes a long token).
            var mailto = UnsubscribeAddress.Create(token, context.Domain);
            message.Headers.Add("List-Unsubscribe", mailto is null ? $"<{url}>" : $"<{url}>, <mailto:{mailto}>");
            message.Headers.Add("List-Unsubscribe-Post", OneClick);
        }
        message.Subject = context.Subject.Render(vars, TemplateEscaping.HeaderText);
        message.Date = now;
        message.MessageId = MimeUtils.GenerateMessageId(context.Domain);
        var body = new BodyBuilder
        {
            TextBody = context.Text?.Render(vars, TemplateEscaping.None),
            HtmlBody = context.Html?.Render(vars, TemplateEscaping.Html),
        };
        message.Body = body.ToMessageBody();
        // 7bit-safe transfer encodings (quoted-printable where needed) and no line over 998 octets (RFC 5322 §2.1.1),
        // whatever the templates and values hold; the bytes then travel unchanged and the signature holds.
        message.Prepare(EncodingConstraint.SevenBit);
        return message;
    }
}
