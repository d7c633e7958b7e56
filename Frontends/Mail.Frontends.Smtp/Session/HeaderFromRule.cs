using Mail.Frontends.Smtp.Protocol;
using Mail.Grains.Interfaces.Accounts;
using Mail.Mime;

namespace Mail.Frontends.Smtp.Session;

/// <summary>
/// Submission (RFC 6409 §4.1, §8): the header From must name one or more mailboxes, every one of them the authenticated
/// user's address or alias, so a user cannot forge another sender behind an envelope sender of their own.
/// </summary>
public static class HeaderFromRule
{
    /// <summary>Null when the From field of the message starting with <paramref name="prefix"/> is the account's own, else 550 5.7.1.</summary>
    public static SmtpReply? Refusal(AccountInfo account, ReadOnlyMemory<byte> prefix)
    {
        var from = HeaderFromReader.Read(prefix);
        if (from is { Count: > 0 } && from.All(address => AddressKey.Normalize(address) is { } own && (own == account.Address || account.Aliases.Contains(own))))
        {
            return null;
        }
        return new SmtpReply(550, "5.7.1", $"Error: header From must be one or more addresses of user {account.Address}");
    }
}
