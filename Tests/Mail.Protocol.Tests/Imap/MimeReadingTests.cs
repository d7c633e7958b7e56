using System.Text;
using System.Text.RegularExpressions;
using Mail.Frontends.Imap.Mime;
using MimeKit;

namespace Mail.Protocol.Tests.Imap;

/// <summary>
/// One reading of MIME: the IMAP frontend's entity tree (<see cref="MimeStructure"/>) agrees with MimeKit's own object
/// model, as every other component reads a message, over a corpus of realistic messages and thousands of malformed
/// variants made from them (cut short, lines dropped or doubled, boundaries broken, bare LFs, junk and 8-bit lines, bad
/// Content-Types): same media types, same tree, same header fields with the same raw values, leaf content octet for octet.
/// </summary>
public sealed class MimeReadingTests
{
    [Fact]
    public void TheEntityTreeAgreesWithMimeKitOnEveryMessageOfTheCorpus()
    {
        var corpus = Corpus(mutations: 4000);
        var refused = 0;
        foreach (var (name, bytes) in corpus)
        {
            MimeMessage message;
            try
            {
                message = MimeMessage.Load(new MemoryStream(bytes));
            }
            catch (FormatException)
            {
                // MimeKit reads no message here (its first line is no header field); IMAP serves one text/plain entity.
                refused++;
                var fallback = MimeStructure.Parse(bytes);
                Assert.Equal(("plain", 0, bytes.Length), (fallback.ContentType.MediaSubtype, fallback.HeaderStart, fallback.BodyEnd));
                continue;
            }
            var disagreement = Disagreement(MimeStructure.Parse(bytes), message.Body, message.Headers, bytes, "root");
            Assert.True(disagreement is null, $"{name}: {disagreement}\n{Encoding.Latin1.GetString(bytes)}");
        }
        Assert.InRange(refused, 0, corpus.Count / 10);
    }

    [Fact]
    public void FieldsAreFoundWhereMimeKitReportsTheFirstOneEarly()
    {
        // MimeKit reports the offset of a part's first header field a few octets early; the fields are found, not trusted.
        var bytes = "Content-Type: multipart/mixed; boundary=b\r\nX: 1\r\n\r\n--b\r\nContent-Type: text/plain\r\nX-Part: 2\r\n\r\none\r\n--b--\r\n"u8.ToArray();
        var part = MimeStructure.Parse(bytes).Parts.Single();
        Assert.Equal(["Content-Type", "X-Part"], part.Fields.Select(f => f.Name));
        Assert.Equal("Content-Type: text/plain\r\n", Encoding.ASCII.GetString(bytes, part.Fields[0].Start, part.Fields[0].End - part.Fields[0].Start));
        Assert.Equal(part.HeaderStart, part.Fields[0].Start);
    }

    [Fact]
    public void AMessageHeaderHoldsItsContentFieldsInOrder()
    {
        // MimeKit files Content-* fields under the body entity and the rest under the message: IMAP wants them all, in order.
        var bytes = "From: a@b.example\r\nContent-Type: text/plain; charset=utf-8\r\nSubject: s\r\n\r\nbody\r\n"u8.ToArray();
        Assert.Equal(["From", "Content-Type", "Subject"], MimeStructure.Parse(bytes).Fields.Select(f => f.Name));
    }

    [Fact]
    public void AnEntityWithoutContentTypeIsUsAsciiText()
    {
        var root = MimeStructure.Parse("Subject: x\r\n\r\nbody\r\n"u8.ToArray());
        Assert.Equal("text/plain", root.ContentType.MimeType);
        Assert.Equal("us-ascii", root.ContentType.Charset);
    }

    /// <summary>Where the two readings differ, or null.</summary>
    private static string? Disagreement(MimeNode ours, MimeEntity? theirs, HeaderList? messageHeaders, byte[] data, string path)
    {
        if (theirs is null) return $"{path}: MimeKit has no entity here";
        if (!ours.ContentType.MimeType.Equals(theirs.ContentType.MimeType, StringComparison.OrdinalIgnoreCase))
        {
            return $"{path}: type {ours.ContentType.MimeType} against {theirs.ContentType.MimeType}";
        }
        // Lines without a colon (junk, or a name cut off at the end) are kept by MimeKit as headers without a value, but are no fields.
        var fields = (messageHeaders is null ? theirs.Headers.AsEnumerable() : messageHeaders.Concat(theirs.Headers))
            .Where(h => h.RawValue.Length > 0 || IsFieldWithoutValue(h, data)).OrderBy(h => h.Offset).ToList();
        if (fields.Count != ours.Fields.Count) return $"{path}: {ours.Fields.Count} fields against {fields.Count}";
        for (var i = 0; i < fields.Count; i++)
        {
            var field = ours.Fields[i];
            if (!field.Name.Equals(fields[i].Field, StringComparison.OrdinalIgnoreCase)) return $"{path}: field {field.Name} against {fields[i].Field}";
            if (!data.AsSpan(field.ValueStart, field.End - field.ValueStart).SequenceEqual(fields[i].RawValue)) return $"{path}: value of {field.Name}";
        }
        switch (theirs)
        {
            case Multipart multipart:
                if (multipart.Count != ours.Parts.Count) return $"{path}: {ours.Parts.Count} parts against {multipart.Count}";
                for (var i = 0; i < multipart.Count; i++)
                {
                    if (Disagreement(ours.Parts[i], multipart[i], null, data, $"{path}.{i + 1}") is { } inner) return inner;
                }
                return null;
            case MessagePart { Message: { } message }:
                return ours.Message is null ? $"{path}: no encapsulated message" : Disagreement(ours.Message, message.Body, message.Headers, data, path + ".message");
            case MimePart part:
            {
                using var content = new MemoryStream();
                part.Content?.WriteTo(content);
                return content.ToArray().AsSpan().SequenceEqual(data.AsSpan(ours.BodyStart, ours.BodySize))
                    ? null
                    : $"{path}: content of {ours.BodySize} octets against {content.Length}";
            }
            default:
                return null;
        }
    }

    private static bool IsFieldWithoutValue(Header header, byte[] data)
    {
        if (header.RawField.Contains((byte)'\n')) return false;
        var last = data.AsSpan().LastIndexOf(header.RawField);
        return last >= 0 && last + header.RawField.Length < data.Length && data[last + header.RawField.Length] == ':';
    }

    private static List<(string Name, byte[] Bytes)> Corpus(int mutations)
    {
        var bases = Realistic();
        var corpus = new List<(string, byte[])>();
        foreach (var (name, bytes) in bases)
        {
            corpus.Add((name, bytes));
            corpus.Add((name + "+lf", Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(bytes).Replace("\r\n", "\n"))));
        }
        var random = new Random(2045);
        for (var i = 0; i < mutations; i++)
        {
            var (name, bytes) = bases[random.Next(bases.Count)];
            var (how, text) = Mutate(Encoding.Latin1.GetString(bytes), random);
            if (random.Next(4) == 0)
            {
                text = text.Replace("\r\n", "\n");
                how += "+lf";
            }
            corpus.Add(($"{name}/{how}#{i}", Encoding.Latin1.GetBytes(text)));
        }
        return corpus;
    }

    private static (string How, string Text) Mutate(string text, Random random)
    {
        var lines = text.Split("\r\n").ToList();
        var at = random.Next(lines.Count);
        var boundaryLine = lines.FirstOrDefault(l => l.StartsWith("--", StringComparison.Ordinal)) ?? "--x";
        switch (random.Next(14))
        {
            case 0: return ("cut-short", text[..random.Next(text.Length + 1)]);
            case 1: lines.RemoveAt(at); return ("line-dropped", string.Join("\r\n", lines));
            case 2: lines.Insert(at, lines[at]); return ("line-doubled", string.Join("\r\n", lines));
            case 3: lines.Insert(Math.Min(at, 3), "junk line without a colon"); return ("junk", string.Join("\r\n", lines));
            case 4:
            {
                var close = text.LastIndexOf("--\r\n", StringComparison.Ordinal);
                return ("no-close-delimiter", close < 0 ? text : text.Remove(close, 2));
            }
            case 5: return ("delimiter-with-white-space", Regex.Replace(text, "(?m)^(--[^\r\n]+)\r$", "$1 \t\r"));
            case 6: lines.Insert(at, boundaryLine + "X"); return ("delimiter-prefix", string.Join("\r\n", lines));
            case 7: return ("no-boundary", Regex.Replace(text, "boundary=\"?[^\";\r\n]*\"?", "", RegexOptions.IgnoreCase));
            case 8: return ("empty-boundary", Regex.Replace(text, "boundary=\"?[^\";\r\n]*\"?", "boundary=\"\"", RegexOptions.IgnoreCase));
            case 9: lines.Insert(at, new string(' ', random.Next(3))); return ("blank-ish", string.Join("\r\n", lines));
            case 10: lines.Insert(at, "\0\u00e9\u00ff"); return ("nul-and-8bit", string.Join("\r\n", lines));
            case 11: return ("bad-content-type", text.Replace("Content-Type: ", random.Next(2) == 0 ? "Content-Type: ;;" : "Content-Type : "));
            case 12: lines.Insert(Math.Min(at, 2), " stray continuation"); return ("stray-fold", string.Join("\r\n", lines));
            default:
            {
                var start = random.Next(text.Length);
                return ("hole", text.Remove(start, random.Next(Math.Min(40, text.Length - start) + 1)));
            }
        }
    }

    /// <summary>Messages shaped as mail clients send them, written by MimeKit, plus a few by hand.</summary>
    private static List<(string Name, byte[] Bytes)> Realistic()
    {
        var list = new List<(string, byte[])>();
        void Add(string name, MimeEntity body, string subject)
        {
            var message = new MimeMessage();
            message.From.Add(new MailboxAddress("Alice", "alice@example.test"));
            message.To.Add(new MailboxAddress("Bob", "bob@example.test"));
            message.Subject = subject;
            message.Date = new DateTimeOffset(2025, 2, 3, 10, 0, 0, TimeSpan.Zero);
            message.MessageId = $"{name}@example.test";
            message.Body = body;
            using var stream = new MemoryStream();
            message.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, stream);
            list.Add((name, stream.ToArray()));
        }
        MimeMessage Inner(string subject)
        {
            var message = new MimeMessage();
            message.From.Add(new MailboxAddress("Carol", "carol@example.test"));
            message.Subject = subject;
            message.Body = new TextPart("plain") { Text = subject + "\r\n" };
            return message;
        }
        MimePart Attachment(string type, string subtype, int size) => new(type, subtype)
        {
            Content = new MimeContent(new MemoryStream(Enumerable.Range(0, size).Select(i => (byte)(i * 7)).ToArray())),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = $"file.{subtype}",
        };
        Add("plain", new TextPart("plain") { Text = "Hello\r\nWorld\r\n" }, "plain");
        var quoted = new TextPart("plain") { Text = "caf\u00e9 = na\u00efve " + new string('x', 100) + "\r\n" };
        quoted.ContentTransferEncoding = ContentEncoding.QuotedPrintable;
        Add("quoted-printable", quoted, "qp");
        Add("alternative", new MultipartAlternative { new TextPart("plain") { Text = "hi\r\n" }, new TextPart("html") { Text = "<p>hi</p>\r\n" } }, "alt");
        Add("mixed", new Multipart("mixed") { new TextPart("plain") { Text = "see attached\r\n" }, Attachment("application", "pdf", 400) }, "mixed");
        Add("related", new MultipartRelated
        {
            new MultipartAlternative { new TextPart("plain") { Text = "a\r\n" }, new TextPart("html") { Text = "<img src=cid:i>\r\n" } },
            Attachment("image", "png", 90),
        }, "related");
        Add("forward", new Multipart("mixed") { new TextPart("plain") { Text = "fwd\r\n" }, new MessagePart { Message = Inner("inner") } }, "fwd");
        Add("digest", new Multipart("digest") { new MessagePart { Message = Inner("one") }, new MessagePart { Message = Inner("two") } }, "digest");
        Add("nested-forward", new MessagePart
        {
            Message = new MimeMessage(new MailboxAddress[] { new("D", "d@example.test") }, [], "mid",
                new Multipart("mixed") { new TextPart("plain") { Text = "x\r\n" }, new MessagePart { Message = Inner("deep") } }),
        }, "outer");
        Add("empty-multipart", new Multipart("mixed"), "empty");
        Add("calendar", new Multipart("mixed") { new TextPart("plain") { Text = "invite\r\n" }, new TextPart("calendar") { Text = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n" } }, "invite");
        list.Add(("hand-folded", Encoding.ASCII.GetBytes(
            "Received: from a\r\n\tby b; Mon, 3 Feb 2025 10:00:00 +0000\r\nFrom: a@example.test\r\nSubject: folded\r\n  over lines\r\n" +
            "Content-Type: multipart/mixed;\r\n boundary=\"=_x y\"\r\n\r\npreamble\r\n--=_x y\r\n\r\nno header part\r\n--=_x y\r\nContent-Type: text/plain\r\n\r\nlast\r\n--=_x y--\r\nepilogue\r\n")));
        list.Add(("headers-only", "From: a@example.test\r\nSubject: no body\r\n"u8.ToArray()));
        return list;
    }
}
