namespace Mail.Grains.Delivery.Sieve;

/// <summary>
/// The actions a script decided: where to file the message (a null folder is the implicit or explicit keep, in the
/// delivery's own folder), with which flags; addresses to redirect to; a reject reason; a vacation reply; and the
/// runtime errors that made it fall back to keep (RFC 5228 §2.10.6).
/// </summary>
public sealed record SieveOutcome(IReadOnlyList<SieveFiling> Filings, IReadOnlyList<string> Redirects, string? Reject,
    SieveVacation? Vacation, IReadOnlyList<string> Errors);

/// <summary>One copy to file: the folder (null: keep), its flags, and whether a missing folder is created (RFC 5490 §3.2 :create).</summary>
public sealed record SieveFiling(string? Folder, IReadOnlyList<string> Flags, bool Create);

/// <summary>A vacation action's arguments (RFC 5230 §4), with the handle that tracks it (explicit or derived from the arguments, §4.2).</summary>
public sealed record SieveVacation(int Days, string? Subject, string? From, IReadOnlyList<string> Addresses, bool Mime, string Handle, string Reason);
