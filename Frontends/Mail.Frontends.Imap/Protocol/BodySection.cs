using System.Text;

namespace Mail.Frontends.Imap.Protocol;

/// <summary>A body section "[1.2.HEADER.FIELDS (FROM)]" with an optional partial "&lt;start.length&gt;" (RFC 9051 §6.4.5).</summary>
public sealed record BodySection(IReadOnlyList<int> Part, SectionKind Kind, IReadOnlyList<string> Fields, long? PartialStart, long? PartialLength)
{
    /// <summary>The section as echoed in the response, without the partial, e.g. "1.2.HEADER.FIELDS (FROM TO)".</summary>
    public string Spec
    {
        get
        {
            var builder = new StringBuilder(string.Join('.', Part));
            var text = Kind switch
            {
                SectionKind.Header => "HEADER",
                SectionKind.HeaderFields => "HEADER.FIELDS",
                SectionKind.HeaderFieldsNot => "HEADER.FIELDS.NOT",
                SectionKind.Text => "TEXT",
                SectionKind.Mime => "MIME",
                _ => null,
            };
            if (text is not null)
            {
                if (builder.Length > 0) builder.Append('.');
                builder.Append(text);
            }
            if (Kind is SectionKind.HeaderFields or SectionKind.HeaderFieldsNot) builder.Append(" (").AppendJoin(' ', Fields).Append(')');
            return builder.ToString();
        }
    }
}
