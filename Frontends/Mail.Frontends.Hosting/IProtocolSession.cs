namespace Mail.Frontends.Hosting;

/// <summary>What the shared read loop (<see cref="ProtocolConnectionHandler{TSession, TCommand}"/>) needs of a protocol's session.</summary>
public interface IProtocolSession
{
    /// <summary>Session id, the key of log lines.</summary>
    string Id { get; }

    /// <summary>The connection's pipes.</summary>
    ConnectionTransport Transport { get; }

    /// <summary>Set to end the session once the current command is answered.</summary>
    bool Closing { get; }
}
