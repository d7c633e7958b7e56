namespace Mail.Frontends.Http.Pipeline;

/// <summary>Which request-body limit of <see cref="HttpFrontendOptions"/> an endpoint takes (endpoint metadata).</summary>
public enum BodyLimit
{
    /// <summary><see cref="HttpFrontendOptions.MaxBodyBytes"/>: every endpoint that does not say otherwise.</summary>
    Default,

    /// <summary><see cref="HttpFrontendOptions.MaxCredentialBodyBytes"/>: a user name and a password, a few kilobytes.</summary>
    Credentials,

    /// <summary><see cref="HttpFrontendOptions.MaxSendBodyBytes"/>: a whole message with its attachments.</summary>
    Message,
}
