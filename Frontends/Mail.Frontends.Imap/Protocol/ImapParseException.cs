namespace Mail.Frontends.Imap.Protocol;

/// <summary>A syntax error in a command; the message is the reason given in the tagged BAD.</summary>
internal sealed class ImapParseException(string message) : Exception(message);
