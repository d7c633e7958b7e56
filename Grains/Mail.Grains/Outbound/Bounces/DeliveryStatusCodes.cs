using System.Text.RegularExpressions;

namespace Mail.Grains.Outbound.Bounces;

/// <summary>RFC 3463 enhanced status codes the outbound MTA reports, and the fallback for replies that carry none.</summary>
public static partial class DeliveryStatusCodes
{
    /// <summary>The recipient's domain publishes a null MX: no delivery is attempted (RFC 7505 §3, code registered in §6).</summary>
    public const string NullMx = "5.1.10";

    /// <summary>The recipient's domain does not exist (NXDOMAIN): "Bad destination system address", RFC 3463 §3.2 X.1.2.</summary>
    public const string NoSuchDomain = "5.1.2";

    /// <summary>
    /// The queue lifetime ran out: "Delivery time expired", RFC 3463 §3.5 X.4.7, reported with Action failed.
    /// Class 4, not 5: RFC 3463 §3.1 defines 4.X.X as a persistent transient failure that "caused abandonment
    /// or delay", and no server ever refused the address, so bounce processors (ours in Reputation included)
    /// must not read an expiry as a hard bounce that suppresses the address. Postfix reports expiries the same way.
    /// </summary>
    public const string Expired = "4.4.7";

    /// <summary>The remote SIZE limit is below the message size, RFC 3463 §3.4 X.3.4 "Message too big for system" (RFC 1870 §6).</summary>
    public const string MessageTooBig = "5.3.4";

    /// <summary>
    /// An MTA-STS (RFC 8461 §5) or DANE (RFC 7672 §2.2) policy requires TLS that could not be established:
    /// RFC 3463 §3.8 X.7.5 "Cryptographic failure". Transient, as Postfix reports it: such failures are
    /// usually certificate or configuration mistakes that are fixed while the message is still queued.
    /// </summary>
    public const string TlsRequired = "4.7.5";

    /// <summary>
    /// An operator removed the message from the queue: "Other undefined status", RFC 3463 §3.1 X.0.0. No
    /// specific code fits, and 5.7.1 would read as the recipient's system refusing the sender.
    /// </summary>
    public const string Cancelled = "5.0.0";

    /// <summary>
    /// The enhanced status of an SMTP reply: the code at the start of the reply text when it has one whose
    /// class matches the reply's (RFC 2034 §4), else the reply's first digit with ".0.0" (RFC 3463 §3.1).
    /// </summary>
    /// <param name="replyCode">The three-digit reply code, 200 to 599.</param>
    /// <param name="replyText">The reply text, with or without the leading reply code.</param>
    public static string FromReply(int replyCode, string? replyText)
    {
        var cls = replyCode / 100;
        if (replyCode > 599 || cls is not (2 or 4 or 5))
            throw new ArgumentOutOfRangeException(nameof(replyCode), replyCode, "An SMTP reply that ends a transaction is 2xx, 4xx or 5xx.");
        if (TryParseEnhanced(replyText, out var status) && status[0] - '0' == cls) return status;
        return $"{cls}.0.0";
    }

    /// <summary>The enhanced status code at the start of a reply text ("550 5.1.1 ..." or "5.1.1 ..."), RFC 3463 §2.</summary>
    public static bool TryParseEnhanced(string? replyText, out string status)
    {
        status = "";
        try
        {
            var match = replyText is null ? null : LeadingCode().Match(replyText);
            if (match is { Success: true }) status = match.Groups["status"].Value;
        }
        catch (RegexMatchTimeoutException)
        {
            // A remote server's reply text is untrusted: one that takes too long to read has no code.
        }
        return status.Length > 0;
    }

    /// <summary>True when <paramref name="status"/> is class.subject.detail as RFC 3463 §2 allows (class 2, 4 or 5; up to 3 digits each).</summary>
    public static bool IsValid(string? status) => status is not null && Exact().IsMatch(status);

    // The reply text comes from remote servers: the whitespace runs are not ambiguous (linear) and a timeout bounds the rest.
    [GeneratedRegex(@"^\s*(?:[2-5][0-9][0-9][ -]\s*)?(?<status>[245]\.[0-9]{1,3}\.[0-9]{1,3})(?![0-9.])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex LeadingCode();

    [GeneratedRegex(@"^[245]\.[0-9]{1,3}\.[0-9]{1,3}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Exact();
}
