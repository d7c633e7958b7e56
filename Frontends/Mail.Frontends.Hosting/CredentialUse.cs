namespace Mail.Frontends.Hosting;

/// <summary>What a login is for, which decides the secrets it accepts.</summary>
public enum CredentialUse
{
    /// <summary>SMTP submission: the password, an app password, or an API key scoped send or full.</summary>
    Submission,

    /// <summary>IMAP and POP3: the password, an app password, or an API key scoped read or full.</summary>
    MailboxAccess,

    /// <summary>An HTTP access token or a password change: the account password only.</summary>
    AccountPassword,
}
