using Mail.Grains.Interfaces.Errors;

namespace Mail.Grains.Accounts;

/// <summary>The rules a new password must meet (NIST SP 800-63B: length, not composition).</summary>
public static class PasswordPolicy
{
    /// <summary>Shortest accepted password.</summary>
    public const int MinLength = 8;

    /// <summary>Longest accepted password (bounds the hashing work an attacker can ask for).</summary>
    public const int MaxLength = 256;

    /// <summary>Longest input a login may present, in UTF-8 bytes (<see cref="MaxLength"/> characters of up to 4 bytes); longer fails without hashing.</summary>
    public const int MaxVerifyBytes = MaxLength * 4;

    /// <summary>Throws an Invalid <see cref="MailException"/> if the password breaks a rule.</summary>
    public static void Check(string password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength)
        {
            throw new MailException(MailErrorCode.Invalid, $"Password must be at least {MinLength} characters.");
        }
        if (password.Length > MaxLength)
        {
            throw new MailException(MailErrorCode.Invalid, $"Password must be at most {MaxLength} characters.");
        }
    }
}
