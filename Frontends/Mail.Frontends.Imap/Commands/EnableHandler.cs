using Mail.Frontends.Imap.Protocol;
using Mail.Frontends.Imap.Session;

namespace Mail.Frontends.Imap.Commands;

/// <summary>
/// ENABLE (RFC 5161, RFC 9051 §6.3.1): IMAP4rev2, CONDSTORE and QRESYNC (RFC 7162 §3.2.3: QRESYNC implies CONDSTORE),
/// UIDONLY (RFC 9586).
/// </summary>
public sealed class EnableHandler : IImapCommandHandler
{
    /// <inheritdoc />
    public IReadOnlyList<string> Names => ["ENABLE"];

    /// <inheritdoc />
    public ImapState States => ImapState.LoggedIn;

    /// <inheritdoc />
    public Task<ImapResult> HandleAsync(ImapSession session, ImapCommand command, CancellationToken ct)
    {
        var enabled = new List<string>();
        foreach (var capability in ((EnableCommand)command).Capabilities)
        {
            switch (capability)
            {
                case "IMAP4REV2" when !session.Rev2:
                    session.Rev2 = true;
                    enabled.Add("IMAP4rev2");
                    break;
                case "CONDSTORE" when !session.Condstore:
                    session.Condstore = true;
                    enabled.Add("CONDSTORE");
                    break;
                case "UIDONLY" when !session.UidOnly:
                    session.UidOnly = true;
                    enabled.Add("UIDONLY");
                    break;
                case "UTF8=ACCEPT" when !session.Utf8Accept:
                    session.Utf8Accept = true;
                    enabled.Add("UTF8=ACCEPT");
                    break;
                case "QRESYNC" when !session.Qresync:
                    session.Qresync = true;
                    session.Condstore = true;
                    enabled.Add("QRESYNC");
                    break;
            }
        }
        session.Untagged(enabled.Count == 0 ? "ENABLED" : "ENABLED " + string.Join(' ', enabled));
        return Task.FromResult(ImapResult.Ok("ENABLE completed"));
    }
}
