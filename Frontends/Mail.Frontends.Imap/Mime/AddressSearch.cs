using Mail.Frontends.Imap.Protocol;
using MimeKit;

namespace Mail.Frontends.Imap.Mime;

/// <summary>
/// SEARCH FROM, TO, CC and BCC (RFC 9051 §6.4.4) over the address forms an RFC 5322 §3.4 header can hold: besides the
/// field's decoded text, each address as parsed: its display name (encoded words decoded, or a comment), its
/// "local@domain" with comments and folding removed, "Name &lt;local@domain&gt;", and group names with their members.
/// </summary>
public static class AddressSearch
{
    /// <summary>Whether one of the addresses in the raw field value contains <paramref name="text"/>, ignoring case.</summary>
    public static bool Contains(byte[] rawValue, string text) =>
        InternetAddressList.TryParse(ParserOptions.Default, rawValue, out var list) && list.Any(a => Matches(a, text));

    private static bool Matches(InternetAddress address, string text)
    {
        if (address.Name is { Length: > 0 } name && UnicodeCasemap.Contains(name, text)) return true;
        return address switch
        {
            MailboxAddress mailbox => UnicodeCasemap.Contains(mailbox.Address, text)
                || UnicodeCasemap.Contains($"{mailbox.Name} <{mailbox.Address}>", text),
            GroupAddress group => group.Members.Any(m => Matches(m, text)),
            _ => false,
        };
    }
}
