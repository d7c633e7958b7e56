namespace Mail.Frontends.Hosting;

/// <summary>A decoded SASL response: its <see cref="Status"/>, and when that is <see cref="SaslStatus.Ok"/>, the user and secret.</summary>
public readonly record struct SaslCredentials(SaslStatus Status, string User = "", string Secret = "");
