namespace Mail.Frontends.Smtp.Session;

/// <summary>Handles one SMTP verb: checks the session state, does the work, queues the reply.</summary>
public interface ISmtpCommandHandler
{
    /// <summary>The verb, upper case.</summary>
    string Verb { get; }

    /// <summary>Runs the command with the text after the verb.</summary>
    Task HandleAsync(SmtpSession session, string argument, CancellationToken ct);
}
