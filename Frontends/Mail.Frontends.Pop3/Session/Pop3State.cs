namespace Mail.Frontends.Pop3.Session;

/// <summary>The states of a POP3 session (RFC 1939 §3); flags so that a handler can name every state it is valid in.</summary>
[Flags]
public enum Pop3State
{
    /// <summary>Before login: the client identifies itself (RFC 1939 §4).</summary>
    Authorization = 1,
    /// <summary>Logged in with the maildrop locked: the client reads and marks messages (RFC 1939 §5).</summary>
    Transaction = 2,
    /// <summary>After QUIT in TRANSACTION: deletions are applied and the lock released (RFC 1939 §6).</summary>
    Update = 4,
}
