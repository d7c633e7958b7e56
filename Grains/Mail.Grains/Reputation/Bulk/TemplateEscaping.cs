namespace Mail.Grains.Reputation.Bulk;

/// <summary>How a substitution is escaped where it lands.</summary>
public enum TemplateEscaping
{
    /// <summary>As given (a text/plain body).</summary>
    None,

    /// <summary>HTML-escaped (an HTML body): a recipient's value cannot add markup.</summary>
    Html,

    /// <summary>Control characters (CR, LF, ...) made spaces (the subject): a value cannot add a header field.</summary>
    HeaderText,
}
