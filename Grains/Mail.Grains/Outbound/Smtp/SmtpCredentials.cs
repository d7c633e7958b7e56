namespace Mail.Grains.Outbound.Smtp;

/// <summary>User name and password for SMTP AUTH to a relay (RFC 4954); <see cref="ToString"/> leaves the password out of logs.</summary>
public sealed record SmtpCredentials(string UserName, string Password)
{
    /// <summary>The user name only.</summary>
    public override string ToString() => $"SmtpCredentials {{ UserName = {UserName} }}";
}
