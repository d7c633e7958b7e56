using Mail.Frontends.Imap.Protocol;
using MimeKit;
using MimeKit.Utils;

namespace Mail.Frontends.Imap.Mime;

/// <summary>
/// Writes BODYSTRUCTURE (with extension data) and BODY (without) for a message (RFC 9051 §7.5.2), from the
/// octets located by <see cref="MimeStructure"/>: sizes are of the encoded body, lines counted in the body.
/// </summary>
public static class BodyStructureWriter
{
    /// <summary>Writes the body structure of <paramref name="node"/>.</summary>
    public static void Write(ImapWriter w, ReadOnlySpan<byte> data, MimeNode node, bool extensible, bool utf8)
    {
        if (node.IsMultipart) WriteMultipart(w, data, node, extensible, utf8);
        else WriteSinglePart(w, data, node, extensible, utf8);
    }

    private static void WriteMultipart(ImapWriter w, ReadOnlySpan<byte> data, MimeNode node, bool extensible, bool utf8)
    {
        w.Open();
        if (node.Parts.Count == 0)
        {
            // RFC 9051 §9 body-type-mpart needs at least one body: an empty multipart shows one empty text part.
            w.Open().String("text").String("plain").Nil().Nil().Nil().String("7bit").Number(0).Number(0).Close();
        }
        foreach (var part in node.Parts)
        {
            w.Glue();
            Write(w, data, part, extensible, utf8);
        }
        w.String(node.ContentType.MediaSubtype);
        if (extensible)
        {
            WriteParameters(w, node.ContentType.Parameters, utf8);
            WriteExtension(w, data, node, utf8);
        }
        w.Close();
    }

    private static void WriteSinglePart(ImapWriter w, ReadOnlySpan<byte> data, MimeNode node, bool extensible, bool utf8)
    {
        var type = node.ContentType;
        w.Open();
        w.String(type.MediaType);
        w.String(type.MediaSubtype);
        WriteParameters(w, type.Parameters, utf8);
        w.NString(MimeStructure.HeaderValue(data, node, "Content-ID"));
        w.NString(MimeStructure.HeaderValue(data, node, "Content-Description"));
        w.String(MimeStructure.HeaderValue(data, node, "Content-Transfer-Encoding") is { Length: > 0 } cte ? cte : "7BIT");
        w.Number(node.BodySize);
        if (node.Message is { } message)
        {
            EnvelopeWriter.Write(w, data, message, utf8);
            Write(w, data, message, extensible, utf8);
            w.Number(Lines(data[node.BodyStart..node.BodyEnd]));
        }
        else if (type.MediaType.Equals("text", StringComparison.OrdinalIgnoreCase))
        {
            w.Number(Lines(data[node.BodyStart..node.BodyEnd]));
        }
        if (extensible)
        {
            w.NString(MimeStructure.HeaderValue(data, node, "Content-MD5"));
            WriteExtension(w, data, node, utf8);
        }
        w.Close();
    }

    /// <summary>body-fld-dsp, body-fld-lang, body-fld-loc.</summary>
    private static void WriteExtension(ImapWriter w, ReadOnlySpan<byte> data, MimeNode node, bool utf8)
    {
        var dispositionField = node.Fields.FirstOrDefault(f => f.Name.Equals("Content-Disposition", StringComparison.OrdinalIgnoreCase));
        if (dispositionField is not null
            && ContentDisposition.TryParse(ParserOptions.Default, MimeStructure.RawValue(data, dispositionField), out var disposition))
        {
            w.Open().String(disposition.Disposition);
            WriteParameters(w, disposition.Parameters, utf8);
            w.Close();
        }
        else w.Nil();
        var language = MimeStructure.HeaderValue(data, node, "Content-Language");
        if (string.IsNullOrEmpty(language)) w.Nil();
        else
        {
            var tags = language.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (tags.Length == 1) w.String(tags[0]);
            else
            {
                w.Open();
                foreach (var tag in tags) w.String(tag);
                w.Close();
            }
        }
        w.NString(MimeStructure.HeaderValue(data, node, "Content-Location"));
    }

    private static void WriteParameters(ImapWriter w, ParameterList parameters, bool utf8)
    {
        if (parameters.Count == 0)
        {
            w.Nil();
            return;
        }
        w.Open();
        foreach (var parameter in parameters)
        {
            w.String(parameter.Name);
            var value = parameter.Value ?? "";
            w.String(utf8 || value.All(c => c < 0x80) ? value : System.Text.Encoding.ASCII.GetString(Rfc2047.EncodeText(System.Text.Encoding.UTF8, value)));
        }
        w.Close();
    }

    /// <summary>Lines of a body: line breaks, plus one for a last line without one.</summary>
    public static int Lines(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return 0;
        var lines = body.Count((byte)'\n');
        return body[^1] == '\n' ? lines : lines + 1;
    }
}
