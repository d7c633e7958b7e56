using System.Text;

namespace Mail.Frontends.Hosting;

/// <summary>
/// The one decoder of SASL client responses for every protocol (SMTP AUTH RFC 4954, POP3 AUTH RFC 5034, IMAP
/// AUTHENTICATE RFC 9051 §6.2.2): base64 (RFC 4648 §4, strict), "=" for an empty initial response (RFC 4954 §4,
/// RFC 4959, RFC 5034 §4), "*" to cancel (RFC 4422 §3.5), UTF-8 checked, a bound on the decoded size; then the
/// PLAIN message (RFC 4616 §2) or a LOGIN field. Acting as another user (an authzid that is not the authcid) is not
/// offered.
/// </summary>
public sealed class SaslDecoder(int maxResponseBytes)
{
    /// <summary>Default of <see cref="MaxResponseBytes"/>: room for RFC 4616's 255-octet fields and the longest secret checked.</summary>
    public const int DefaultMaxResponseBytes = 2048;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Most octets a decoded response may have.</summary>
    public int MaxResponseBytes { get; } = maxResponseBytes;

    /// <summary>Decodes a PLAIN response: [authzid] NUL authcid NUL passwd (RFC 4616 §2), authcid and passwd not empty.</summary>
    public SaslCredentials DecodePlain(string response)
    {
        var status = TryDecode(response, out var message);
        if (status != SaslStatus.Ok) return new SaslCredentials(status);
        var fields = message.Split('\0');
        if (fields.Length != 3 || fields[1].Length == 0 || fields[2].Length == 0) return new SaslCredentials(SaslStatus.Malformed);
        if (fields[0].Length > 0 && !string.Equals(fields[0], fields[1], StringComparison.OrdinalIgnoreCase))
        {
            return new SaslCredentials(SaslStatus.AuthzidMismatch);
        }
        return new SaslCredentials(SaslStatus.Ok, fields[1], fields[2]);
    }

    /// <summary>Decodes one answer of the LOGIN mechanism (user name, then password, each base64 of UTF-8 text without NUL).</summary>
    public SaslStatus DecodeLoginField(string response, out string field)
    {
        var status = TryDecode(response, out field);
        if (status == SaslStatus.Ok && field.Contains('\0')) status = SaslStatus.Malformed;
        if (status != SaslStatus.Ok) field = "";
        return status;
    }

    /// <summary>
    /// Decodes an OAUTHBEARER response (RFC 7628 §3.1: gs2-header "n,a=user," or "n,,", then %x01-separated key=value
    /// pairs, "auth=Bearer token" among them, ending in %x01%x01) or an XOAUTH2 one ("user=" user %x01 "auth=Bearer "
    /// token %x01%x01). The user (empty when OAUTHBEARER names none) and the token; channel binding is refused.
    /// </summary>
    public SaslCredentials DecodeBearer(string response, bool xoauth2)
    {
        var status = TryDecode(response, out var message);
        if (status != SaslStatus.Ok) return new SaslCredentials(status);
        var user = "";
        var rest = message;
        if (!xoauth2)
        {
            // gs2-header: "n" (no channel binding), an optional "a=" authzid, then ",".
            var parts = message.Split(',', 3);
            if (parts.Length != 3 || parts[0] != "n" || parts[2].Length == 0 || parts[2][0] != '\x01') return new SaslCredentials(SaslStatus.Malformed);
            if (parts[1].Length > 0)
            {
                if (!parts[1].StartsWith("a=", StringComparison.Ordinal)) return new SaslCredentials(SaslStatus.Malformed);
                user = parts[1][2..].Replace("=2C", ",", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
            }
            rest = parts[2][1..];
        }
        if (!rest.EndsWith("\x01\x01", StringComparison.Ordinal)) return new SaslCredentials(SaslStatus.Malformed);
        string? token = null;
        foreach (var pair in rest[..^2].Split('\x01'))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) return new SaslCredentials(SaslStatus.Malformed);
            var (key, value) = (pair[..eq], pair[(eq + 1)..]);
            if (key == "auth" && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) token = value[7..].Trim();
            else if (key == "user" && xoauth2) user = value;
        }
        if (token is not { Length: > 0 } || (xoauth2 && user.Length == 0)) return new SaslCredentials(SaslStatus.Malformed);
        return new SaslCredentials(SaslStatus.Ok, user, token);
    }

    /// <summary>The error a failed OAUTHBEARER or XOAUTH2 exchange sends as its challenge (RFC 7628 §3.2.2), base64.</summary>
    public static string BearerFailureChallenge() =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"status\":\"invalid_token\",\"scope\":\"mail\"}"));

    /// <summary>The text of a response: "*" cancels, "=" is empty, anything else must be base64 of UTF-8 within the bound.</summary>
    private SaslStatus TryDecode(string response, out string text)
    {
        text = "";
        var trimmed = response.AsSpan().Trim();
        if (trimmed is "*") return SaslStatus.Cancelled;
        if (trimmed is "=" or "") return SaslStatus.Ok;
        // Four base64 characters carry three octets; anything longer than the bound allows is refused undecoded.
        if (trimmed.Length > (MaxResponseBytes + 2) / 3 * 4) return SaslStatus.TooLong;
        if (trimmed.Length % 4 != 0) return SaslStatus.BadEncoding;
        var octets = new byte[trimmed.Length / 4 * 3];
        foreach (var c in trimmed)
        {
            // Convert would skip white space inside; a SASL response has none (RFC 4648 §3.3).
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=')) return SaslStatus.BadEncoding;
        }
        if (!Convert.TryFromBase64Chars(trimmed, octets, out var written)) return SaslStatus.BadEncoding;
        if (written > MaxResponseBytes) return SaslStatus.TooLong;
        try
        {
            text = StrictUtf8.GetString(octets, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return SaslStatus.BadEncoding;
        }
        return SaslStatus.Ok;
    }
}
