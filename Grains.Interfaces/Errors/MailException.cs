namespace Mail.Grains.Interfaces.Errors;

/// <summary>A refusal with a typed <see cref="MailErrorCode"/> and a message fit to show a user.</summary>
[GenerateSerializer, Alias("mail.MailException")]
public sealed class MailException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MailException(MailErrorCode code, string message) : base(message) => Code = code;

    /// <summary>Why the operation was refused.</summary>
    [Id(0)]
    public MailErrorCode Code { get; }
}
