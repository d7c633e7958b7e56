namespace Mail.Grains.Outbound.Bounces;

/// <summary>One recipient block read from a DSN that arrived at a VERP address (RFC 3464 §2.3).</summary>
/// <param name="Address">Final-Recipient without its address type, or Original-Recipient when Final-Recipient is missing.</param>
/// <param name="Action">The Action field; null when missing or not one of RFC 3464 §2.3.3's values.</param>
/// <param name="Status">RFC 3463 code from Status, else from the Diagnostic-Code's reply; null when neither gives one.</param>
/// <param name="DiagnosticCode">Diagnostic-Code without its type ("smtp;"), unfolded.</param>
/// <param name="RemoteMta">Remote-MTA without its type ("dns;").</param>
/// <param name="OriginalRecipient">Original-Recipient without its type, when present.</param>
public sealed record ReportedRecipient(
    string Address,
    DsnAction? Action,
    string? Status,
    string? DiagnosticCode,
    string? RemoteMta,
    string? OriginalRecipient = null);
