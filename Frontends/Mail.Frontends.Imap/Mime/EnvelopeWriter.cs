using Mail.Frontends.Imap.Protocol;
using MimeKit;
using MimeKit.Utils;

namespace Mail.Frontends.Imap.Mime;

/// <summary>
/// Writes the ENVELOPE of a message (RFC 9051 §7.5.2): date, subject, from, sender, reply-to, to, cc, bcc,
/// in-reply-to, message-id. Text fields are the raw header values; addresses are parsed with MimeKit.
/// </summary>
public static class EnvelopeWriter
{
    /// <summary>Writes the envelope of the message whose header is <paramref name="node"/>'s.</summary>
    public static void Write(ImapWriter w, ReadOnlySpan<byte> data, MimeNode node, bool utf8)
    {
        w.Open();
        w.NString(MimeStructure.HeaderValue(data, node, "Date"));
        w.NString(MimeStructure.HeaderValue(data, node, "Subject"));
        var from = Addresses(data, node, "From");
        WriteAddresses(w, from, utf8);
        // RFC 9051 §7.5.2: an absent or empty Sender or Reply-To is given the value of From.
        var sender = Addresses(data, node, "Sender");
        WriteAddresses(w, sender is { Count: > 0 } ? sender : from, utf8);
        var replyTo = Addresses(data, node, "Reply-To");
        WriteAddresses(w, replyTo is { Count: > 0 } ? replyTo : from, utf8);
        WriteAddresses(w, Addresses(data, node, "To"), utf8);
        WriteAddresses(w, Addresses(data, node, "Cc"), utf8);
        WriteAddresses(w, Addresses(data, node, "Bcc"), utf8);
        w.NString(MimeStructure.HeaderValue(data, node, "In-Reply-To"));
        w.NString(MimeStructure.HeaderValue(data, node, "Message-ID"));
        w.Close();
    }

    private static InternetAddressList? Addresses(ReadOnlySpan<byte> data, MimeNode node, string name)
    {
        foreach (var field in node.Fields)
        {
            if (!field.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) continue;
            var raw = MimeStructure.RawValue(data, field);
            if (raw.Length == 0) return null;
            return InternetAddressList.TryParse(ParserOptions.Default, raw, out var list) ? list : null;
        }
        return null;
    }

    private static void WriteAddresses(ImapWriter w, InternetAddressList? list, bool utf8)
    {
        if (list is null || list.Count == 0)
        {
            w.Nil();
            return;
        }
        w.Open();
        foreach (var address in list) WriteAddress(w, address, utf8);
        w.Close();
    }

    private static void WriteAddress(ImapWriter w, InternetAddress address, bool utf8)
    {
        switch (address)
        {
            case MailboxAddress mailbox:
                w.Glue().Open();
                w.NString(Phrase(mailbox.Name, utf8));
                // RFC 9051 §7.5.2 addr-adl: the obsolete source route (RFC 5322 §4.4 obs-route) as "@a,@b".
                w.NString(mailbox.Route.Count == 0 ? null : "@" + string.Join(",@", mailbox.Route));
                w.NString(mailbox.LocalPart);
                w.NString(string.IsNullOrEmpty(mailbox.Domain) ? null : mailbox.Domain);
                w.Close();
                break;
            case GroupAddress group:
                // RFC 9051 §7.5.2: a group is a start marker (NIL NIL name NIL), its members, and an end marker.
                w.Glue().Open().Nil().Nil().NString(Phrase(group.Name, utf8) ?? "").Nil().Close();
                foreach (var member in group.Members) WriteAddress(w, member, utf8);
                w.Glue().Open().Nil().Nil().Nil().Nil().Close();
                break;
        }
    }

    /// <summary>A display name, re-encoded as RFC 2047 words when it is not ASCII and the client cannot take UTF-8.</summary>
    private static string? Phrase(string? name, bool utf8)
    {
        if (string.IsNullOrEmpty(name)) return null;
        if (utf8 || name.All(c => c < 0x80)) return name;
        return System.Text.Encoding.ASCII.GetString(Rfc2047.EncodePhrase(System.Text.Encoding.UTF8, name));
    }
}
