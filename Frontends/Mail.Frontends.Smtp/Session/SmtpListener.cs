namespace Mail.Frontends.Smtp.Session;

/// <summary>Which listener a session arrived on; it decides AUTH, relaying and TLS.</summary>
public enum SmtpListener
{
    /// <summary>MX: mail for local domains, no AUTH, no relaying.</summary>
    Mx,
    /// <summary>Submission with STARTTLS: AUTH required to send.</summary>
    Submission,
    /// <summary>Submission with implicit TLS.</summary>
    SubmissionTls,
}
