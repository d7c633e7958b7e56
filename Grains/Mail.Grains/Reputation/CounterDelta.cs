using Mail.Grains.Interfaces.Reputation;

namespace Mail.Grains.Reputation;

/// <summary>Counts to add to one hourly bucket of one subject.</summary>
public sealed record CounterDelta(string Scope, string Subject, string Provider, DateTimeOffset Hour, Counts Counts);
