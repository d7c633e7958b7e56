namespace Mail.Frontends.Imap.Session;

/// <summary>The connection states of RFC 9051 §3, as flags so a handler can name every state it is valid in.</summary>
[Flags]
public enum ImapState
{
    /// <summary>Before LOGIN or AUTHENTICATE.</summary>
    NotAuthenticated = 1,
    /// <summary>Logged in, no mailbox selected.</summary>
    Authenticated = 2,
    /// <summary>A mailbox is selected.</summary>
    Selected = 4,
    /// <summary>Authenticated or selected.</summary>
    LoggedIn = Authenticated | Selected,
    /// <summary>Any state.</summary>
    Any = NotAuthenticated | Authenticated | Selected,
}
