using System.Globalization;
using System.Text.RegularExpressions;
using Mail.Grains.Interfaces.Errors;

namespace Mail.Grains.Accounts;

/// <summary>
/// Password hashes an import may carry instead of a password: the schemes <see cref="PasswordHasher"/> verifies, which is
/// Argon2id (RFC 9106) in the PHC string format "$argon2id$v=19$m=…,t=…,p=…$salt$hash" (libsodium's, Dovecot's ARGON2ID,
/// the argon2 CLI's), with or without Dovecot's "{ARGON2ID}" scheme prefix. Other schemes (bcrypt, SHA512-CRYPT, Argon2i)
/// are refused: no login could ever match them. The parameters must be ones libsodium can verify.
/// </summary>
public static partial class PasswordHashFormat
{
    private const string DovecotPrefix = "{ARGON2ID}";

    /// <summary>The stored form of an imported hash (the PHC string); throws an Invalid <see cref="MailException"/> when it is not one <see cref="PasswordHasher"/> verifies.</summary>
    public static string Normalize(string hash)
    {
        var phc = hash.StartsWith(DovecotPrefix, StringComparison.OrdinalIgnoreCase) ? hash[DovecotPrefix.Length..] : hash;
        var match = Phc().Match(phc);
        if (!match.Success || phc.Length >= Geralt.Argon2id.HashSize)
        {
            throw new MailException(MailErrorCode.Invalid,
                "password_hash must be an Argon2id PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash), optionally with Dovecot's {ARGON2ID} prefix.");
        }
        long Parameter(string name) => long.TryParse(match.Groups[name].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : -1;
        // libsodium's bounds: at least 8 KiB and one pass, memory in bytes within an int (Geralt), 1 to 2^24-1 lanes.
        if (Parameter("m") is < 8 or > int.MaxValue / 1024 || Parameter("t") < 1 || Parameter("p") is < 1 or > 0xFFFFFF)
        {
            throw new MailException(MailErrorCode.Invalid, "password_hash has Argon2id parameters this server cannot verify.");
        }
        return phc;
    }

    // Salt of at least 8 bytes (11 Base64 characters) and a hash of at least 16 bytes, unpadded Base64 (PHC).
    [GeneratedRegex(@"^\$argon2id\$v=19\$m=(?<m>[0-9]{1,10}),t=(?<t>[0-9]{1,10}),p=(?<p>[0-9]{1,8})\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{22,}$")]
    private static partial Regex Phc();
}
