namespace Mail.Grains.Interfaces.Bulk;

/// <summary>The stream classes of bulk mail: marketing mail carries one-click unsubscribe (RFC 8058), transactional mail does not.</summary>
public static class BulkMailClasses
{
    /// <summary>Newsletters, promotions: List-Unsubscribe and List-Unsubscribe-Post on every message.</summary>
    public const string Marketing = "marketing";

    /// <summary>Receipts, notices: mail the recipient asked for by an action of theirs.</summary>
    public const string Transactional = "transactional";

    /// <summary>Whether <paramref name="mailClass"/> is one of the two.</summary>
    public static bool IsValid(string? mailClass) => mailClass is Marketing or Transactional;
}
