using System.Globalization;
using Mail.Frontends.Smtp.Protocol;
using Mail.Grains.Interfaces.Accounts;

namespace Mail.Frontends.Smtp.Session;

/// <summary>MAIL FROM (RFC 5321 §4.1.1.2) with SIZE (RFC 1870), BODY (RFC 6152), SMTPUTF8 (RFC 6531), RET/ENVID (RFC 3461).</summary>
public sealed class MailHandler : ISmtpCommandHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase) { "SIZE", "BODY", "SMTPUTF8", "RET", "ENVID", "AUTH" };

    /// <inheritdoc />
    public string Verb => "MAIL";

    /// <inheritdoc />
    public Task HandleAsync(SmtpSession session, string argument, CancellationToken ct)
    {
        session.Reply(Check(session, argument));
        return Task.CompletedTask;
    }

    private static SmtpReply Check(SmtpSession session, string argument)
    {
        if (session.ClientName is null) return SmtpReplies.BadSequence("send HELO/EHLO first");
        if (session.Envelope is not null) return SmtpReplies.BadSequence("nested MAIL command");
        if (session.IsSubmission && session.Account is null) return SmtpReplies.AuthenticationRequired;
        var (path, error) = PathArgument.Parse(argument, "FROM", allowNull: true);
        if (path is null) return SmtpReplies.BadPath(error!);
        if (path.Parameters.Count > 0 && !session.Extended) return new SmtpReply(555, "5.5.4", "Error: parameters need EHLO");
        foreach (var (key, value) in path.Parameters)
        {
            if (!Known.Contains(key)) return new SmtpReply(555, "5.5.4", $"Error: unsupported parameter {key}");
            switch (key.ToUpperInvariant())
            {
                case "SIZE" when !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size):
                    return SmtpReplies.Syntax("Syntax: SIZE=number");
                case "SIZE" when long.Parse(value!, CultureInfo.InvariantCulture) > session.Options.MaxMessageBytes:
                    return SmtpReplies.MessageTooBig;
                case "BODY" when value is null || !(value.Equals("7BIT", StringComparison.OrdinalIgnoreCase) || value.Equals("8BITMIME", StringComparison.OrdinalIgnoreCase)):
                    return new SmtpReply(555, "5.5.4", "Error: BODY must be 7BIT or 8BITMIME");
                case "RET" when value is null || !(value.Equals("FULL", StringComparison.OrdinalIgnoreCase) || value.Equals("HDRS", StringComparison.OrdinalIgnoreCase)):
                    return new SmtpReply(555, "5.5.4", "Error: RET must be FULL or HDRS");
            }
        }
        if (session.Account is { } account)
        {
            var from = AddressKey.Normalize(path.Address);
            if (from is null || (from != account.Address && !account.Aliases.Contains(from)))
            {
                return new SmtpReply(553, "5.7.1", $"<{path.Address}>: Sender address rejected: not owned by user {account.Address}");
            }
            session.Envelope = new SmtpEnvelope(path.Address, path.Parameters) { BlobTenant = account.TenantId };
        }
        else
        {
            session.Envelope = new SmtpEnvelope(path.Address, path.Parameters);
        }
        return SmtpReplies.Ok;
    }
}
