using System.Diagnostics.CodeAnalysis;

namespace Mail.Frontends.Imap.Protocol;

/// <summary>
/// Parses one framed command (lines and literals as received, RFC 9051 §9) into a typed <see cref="ImapCommand"/>.
/// Never throws: a syntax error gives false with the tag (when it could be read) and a reason for the tagged BAD.
/// </summary>
public static class ImapCommandParser
{
    private static readonly HashSet<string> NoArguments = new(StringComparer.Ordinal)
    {
        "CAPABILITY", "NOOP", "LOGOUT", "STARTTLS", "CHECK", "CLOSE", "UNSELECT", "EXPUNGE", "IDLE", "NAMESPACE", "UNAUTHENTICATE",
    };

    private static readonly HashSet<string> OneMailbox = new(StringComparer.Ordinal)
    {
        "DELETE", "SUBSCRIBE", "UNSUBSCRIBE", "GETQUOTAROOT",
    };

    /// <summary>Parses a command framed by <see cref="CommandFramer"/> (ending in CRLF).</summary>
    public static bool TryParse(ReadOnlyMemory<byte> command, int maxNesting, [NotNullWhen(true)] out ImapCommand? parsed, out string? tag, out string? error)
    {
        parsed = null;
        tag = null;
        error = null;
        var data = command.Span.EndsWith("\r\n"u8) ? command[..^2] : command;
        var reader = new ImapReader(data, maxNesting);
        try
        {
            tag = reader.Tag();
            reader.Sp();
            var name = reader.Atom().ToUpperInvariant();
            var uid = false;
            if (name == "UID")
            {
                reader.Sp();
                name = reader.Atom().ToUpperInvariant();
                if (name is not ("FETCH" or "STORE" or "COPY" or "MOVE" or "SEARCH" or "EXPUNGE" or "SORT" or "THREAD" or "REPLACE")) throw reader.Error($"UID {name} is not a command");
                uid = true;
            }
            parsed = Parse(reader, tag, name, uid);
            reader.End();
            return true;
        }
        catch (ImapParseException e)
        {
            error = e.Message;
            return false;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or InvalidOperationException)
        {
            error = "Malformed command";
            return false;
        }
    }

    private static ImapCommand Parse(ImapReader r, string tag, string name, bool uid)
    {
        if (name == "EXPUNGE" && uid) return new ExpungeCommand(tag, SpSet(r)) { Uid = true };
        if (NoArguments.Contains(name)) return new SimpleCommand(tag, name);
        if (OneMailbox.Contains(name))
        {
            r.Sp();
            return new MailboxCommand(tag, name, r.AString());
        }
        switch (name)
        {
            case "LOGIN":
            {
                r.Sp();
                var user = r.AString();
                r.Sp();
                return new LoginCommand(tag, user, r.AString());
            }
            case "AUTHENTICATE":
            {
                r.Sp();
                var mechanism = r.Atom().ToUpperInvariant();
                string? initial = null;
                if (r.TrySp()) initial = r.TryChar('=') ? "=" : r.Atom();
                return new AuthenticateCommand(tag, mechanism, initial);
            }
            case "ENABLE":
            {
                var capabilities = new List<string>();
                while (r.TrySp()) capabilities.Add(r.Atom().ToUpperInvariant());
                if (capabilities.Count == 0) throw r.Error("ENABLE needs at least one capability");
                return new EnableCommand(tag, capabilities);
            }
            case "ID":
            {
                r.Sp();
                if (r.TryNil()) return new IdCommand(tag, null);
                var fields = new List<KeyValuePair<string, string?>>();
                r.Expect('(');
                r.Enter();
                if (!r.TryChar(')'))
                {
                    do
                    {
                        var key = r.String();
                        r.Sp();
                        fields.Add(new(key, r.NString()));
                        if (fields.Count > 30) throw r.Error("Too many ID fields");
                    }
                    while (r.TrySp());
                    r.Expect(')');
                }
                r.Leave();
                return new IdCommand(tag, fields);
            }
            case "SELECT" or "EXAMINE":
                return Select(r, tag, name == "EXAMINE");
            case "GETACL" or "MYRIGHTS" or "LISTRIGHTS" or "DELETEACL" or "SETACL":
                return Acl(r, tag, name);
            case "CREATE":
            {
                r.Sp();
                var mailbox = r.AString();
                // RFC 4466 create parameters: USE (RFC 6154 §3) is kept, others are accepted and ignored.
                var uses = new List<string>();
                if (r.TrySp()) r.List(() => CreateParameter(r, uses));
                return new CreateCommand(tag, mailbox, uses);
            }
            case "GETQUOTA":
                r.Sp();
                return new MailboxCommand(tag, name, r.AString());
            case "RENAME":
            {
                r.Sp();
                var from = r.AString();
                r.Sp();
                return new RenameCommand(tag, from, r.AString());
            }
            case "LIST":
                return List(r, tag);
            case "LSUB":
            {
                r.Sp();
                var reference = r.AString();
                r.Sp();
                return new ListCommand(tag, reference, [r.ListMailbox()], [], [], [], Lsub: true);
            }
            case "STATUS":
            {
                r.Sp();
                var mailbox = r.AString();
                r.Sp();
                var items = r.List(() => r.Atom().ToUpperInvariant(), allowEmpty: false);
                return new StatusCommand(tag, mailbox, items);
            }
            case "APPEND":
                return Append(r, tag);
            case "COMPRESS":
                r.Sp();
                return new CompressCommand(tag, r.Atom().ToUpperInvariant());
            case "REPLACE":
            {
                // RFC 8508 §6: replace = "REPLACE" SP seq-number SP mailbox append-message (one message: no MULTIAPPEND).
                r.Sp();
                var number = r.NzNumber();
                r.Sp();
                var mailbox = r.AString();
                r.Sp();
                return new ReplaceCommand(tag, number, mailbox, AppendMessageOf(r)) { Uid = uid };
            }
            case "FETCH":
                return Fetch(r, tag) with { Uid = uid };
            case "STORE":
                return Store(r, tag) with { Uid = uid };
            case "COPY" or "MOVE":
            {
                var set = SpSet(r);
                r.Sp();
                return new CopyCommand(tag, name, set, r.AString()) { Uid = uid };
            }
            case "SEARCH":
                return Search(r, tag) with { Uid = uid };
            case "SORT":
                return Sort(r, tag) with { Uid = uid };
            case "THREAD":
                return Thread(r, tag) with { Uid = uid };
            case "NOTIFY":
                return Notify(r, tag);
            case "CANCELUPDATE":
            {
                var tags = new List<string>();
                while (r.TrySp()) tags.Add(r.String());
                if (tags.Count == 0) throw r.Error("CANCELUPDATE needs a tag");
                return new CancelUpdateCommand(tag, tags);
            }
            default:
                throw r.Error($"Unknown command {name}");
        }
    }

    /// <summary>RFC 4314 §3: the mailbox, then the identifier (LISTRIGHTS, DELETEACL, SETACL), then the rights (SETACL), all astrings.</summary>
    private static AclCommand Acl(ImapReader r, string tag, string name)
    {
        r.Sp();
        var mailbox = r.AString();
        if (name is "GETACL" or "MYRIGHTS") return new AclCommand(tag, name, mailbox, null, null);
        r.Sp();
        var identifier = r.AString();
        if (name != "SETACL") return new AclCommand(tag, name, mailbox, identifier, null);
        r.Sp();
        return new AclCommand(tag, name, mailbox, identifier, r.AString());
    }

    private static object CreateParameter(ImapReader r, List<string> uses)
    {
        var key = r.Atom();
        if (r.TrySp())
        {
            if (r.Peek() == '(')
            {
                var values = r.List(() => r.Flag());
                if (key.Equals("USE", StringComparison.OrdinalIgnoreCase)) uses.AddRange(values);
            }
            else r.AString();
        }
        return key;
    }

    private static SequenceSet SpSet(ImapReader r)
    {
        r.Sp();
        return r.SequenceSet();
    }

    private static SelectCommand Select(ImapReader r, string tag, bool readOnly)
    {
        r.Sp();
        var mailbox = r.AString();
        var condstore = false;
        QresyncParameters? qresync = null;
        if (r.TrySp())
        {
            r.List(() =>
            {
                var parameter = r.Atom().ToUpperInvariant();
                if (parameter == "CONDSTORE") condstore = true;
                else if (parameter == "QRESYNC")
                {
                    r.Sp();
                    r.Expect('(');
                    r.Enter();
                    var uidValidity = r.NzNumber();
                    r.Sp();
                    var modseq = r.Number64();
                    SequenceSet? known = null, knownSeq = null, knownSeqUids = null;
                    if (r.TrySp())
                    {
                        if (r.Peek() != '(')
                        {
                            known = r.SequenceSet();
                            r.TrySp();
                        }
                        if (r.Peek() == '(')
                        {
                            r.Expect('(');
                            knownSeq = r.SequenceSet();
                            r.Sp();
                            knownSeqUids = r.SequenceSet();
                            r.Expect(')');
                        }
                    }
                    r.Expect(')');
                    r.Leave();
                    qresync = new QresyncParameters(uidValidity, modseq, known, knownSeq, knownSeqUids);
                }
                else throw r.Error($"Unknown select parameter {parameter}");
                return parameter;
            }, allowEmpty: false);
        }
        return new SelectCommand(tag, mailbox, readOnly, condstore || qresync is not null, qresync);
    }

    private static ListCommand List(ImapReader r, string tag)
    {
        r.Sp();
        var select = new List<string>();
        if (r.Peek() == '(')
        {
            select = r.List(() => r.Atom().ToUpperInvariant());
            r.Sp();
        }
        var reference = r.AString();
        r.Sp();
        var patterns = r.Peek() == '(' ? r.List(r.ListMailbox, allowEmpty: false) : [r.ListMailbox()];
        var returns = new List<string>();
        var status = new List<string>();
        if (r.TrySp())
        {
            var keyword = r.Atom().ToUpperInvariant();
            if (keyword != "RETURN") throw r.Error("Expected RETURN");
            r.Sp();
            returns = r.List(() =>
            {
                var option = r.Atom().ToUpperInvariant();
                if (option == "STATUS")
                {
                    r.Sp();
                    status = r.List(() => r.Atom().ToUpperInvariant(), allowEmpty: false);
                }
                return option;
            });
        }
        return new ListCommand(tag, reference, patterns, select, returns, status, Lsub: false);
    }

    private static AppendCommand Append(ImapReader r, string tag)
    {
        r.Sp();
        var mailbox = r.AString();
        var messages = new List<AppendMessage>();
        // RFC 3502 §6.3.11: one or more messages, each with its own flags and date (MULTIAPPEND).
        while (r.TrySp())
        {
            if (messages.Count >= MaxAppendMessages) throw r.Error("Too many messages in one APPEND");
            messages.Add(AppendMessageOf(r));
        }
        if (messages.Count == 0) throw r.Error("Expected a literal with the message");
        return new AppendCommand(tag, mailbox, messages);
    }

    /// <summary>Most messages one APPEND may carry (MULTIAPPEND); each is bounded by the literal limits as well.</summary>
    public const int MaxAppendMessages = 1000;

    /// <summary>Most parts one CATENATE message may have.</summary>
    public const int MaxCatenateParts = 100;

    private static AppendMessage AppendMessageOf(ImapReader r)
    {
        IReadOnlyList<string> flags = [];
        DateTimeOffset? date = null;
        if (r.Peek() == '(')
        {
            flags = r.List(r.Flag);
            r.Sp();
        }
        if (r.Peek() == '"')
        {
            var text = r.String();
            if (!ImapDate.TryParseDateTime(text, out var parsed)) throw r.Error("Invalid date-time");
            date = parsed;
            r.Sp();
        }
        if (r.Peek() is 'C' or 'c' && PeekWord(r, "CATENATE"))
        {
            r.Atom();
            r.Sp();
            // RFC 4469 §5: cat-part = text-literal / url, TEXT SP literal, URL SP astring.
            var parts = r.List(() =>
            {
                var kind = r.Atom().ToUpperInvariant();
                r.Sp();
                return kind switch
                {
                    "TEXT" when r.Peek() == '{' => new CatenatePart(r.Literal(), null),
                    "URL" => new CatenatePart(ReadOnlyMemory<byte>.Empty, r.AString()),
                    _ => throw r.Error($"Unknown CATENATE part {kind}"),
                };
            }, allowEmpty: false);
            if (parts.Count > MaxCatenateParts) throw r.Error("Too many CATENATE parts");
            return new AppendMessage(flags, date, ReadOnlyMemory<byte>.Empty) { Catenate = parts };
        }
        if (r.Peek() is 'U' or 'u' && PeekWord(r, "UTF8"))
        {
            // RFC 6855 §4: append-data =/ "UTF8" SP "(" literal8 ")".
            r.Atom();
            r.Sp();
            r.Expect('(');
            if (!r.IsLiteral8Start()) throw r.Error("UTF8 takes a literal8");
            var text = r.Literal();
            r.Expect(')');
            return new AppendMessage(flags, date, text) { Utf8 = true };
        }
        var binary = r.IsLiteral8Start();
        if (r.Peek() != '{' && !binary) throw r.Error("Expected a literal with the message");
        var message = r.Literal();
        return new AppendMessage(flags, date, message) { Binary = binary };
    }

    private static FetchCommand Fetch(ImapReader r, string tag)
    {
        var set = SpSet(r);
        r.Sp();
        List<FetchItem> items;
        if (r.Peek() == '(') items = r.List(() => FetchAttribute(r), allowEmpty: false);
        else
        {
            var word = r.Until("([").ToUpperInvariant();
            items = word switch
            {
                "ALL" => [new(FetchItemKind.Flags), new(FetchItemKind.InternalDate), new(FetchItemKind.Rfc822Size), new(FetchItemKind.Envelope)],
                "FAST" => [new(FetchItemKind.Flags), new(FetchItemKind.InternalDate), new(FetchItemKind.Rfc822Size)],
                "FULL" =>
                [
                    new(FetchItemKind.Flags), new(FetchItemKind.InternalDate), new(FetchItemKind.Rfc822Size), new(FetchItemKind.Envelope),
                    new(FetchItemKind.Body),
                ],
                _ => [FetchAttributeNamed(r, word)],
            };
        }
        long? changedSince = null;
        var vanished = false;
        if (r.TrySp())
        {
            r.List(() =>
            {
                var modifier = r.Atom().ToUpperInvariant();
                if (modifier == "CHANGEDSINCE")
                {
                    r.Sp();
                    changedSince = r.Number64();
                }
                else if (modifier == "VANISHED") vanished = true;
                else throw r.Error($"Unknown FETCH modifier {modifier}");
                return modifier;
            }, allowEmpty: false);
        }
        if (vanished && changedSince is null) throw r.Error("VANISHED needs CHANGEDSINCE");
        return new FetchCommand(tag, set, items, changedSince, vanished);
    }

    private static FetchItem FetchAttribute(ImapReader r) => FetchAttributeNamed(r, r.Until("()[<").ToUpperInvariant());

    private static FetchItem FetchAttributeNamed(ImapReader r, string name)
    {
        switch (name)
        {
            case "FLAGS": return new(FetchItemKind.Flags);
            case "INTERNALDATE": return new(FetchItemKind.InternalDate);
            case "RFC822.SIZE": return new(FetchItemKind.Rfc822Size);
            case "UID": return new(FetchItemKind.Uid);
            case "ENVELOPE": return new(FetchItemKind.Envelope);
            case "BODYSTRUCTURE": return new(FetchItemKind.BodyStructure);
            case "MODSEQ": return new(FetchItemKind.Modseq);
            case "PREVIEW" or "SNIPPET": return Preview(r, name);
            case "EMAILID": return new(FetchItemKind.EmailId);
            case "THREADID": return new(FetchItemKind.ThreadId);
            case "SAVEDATE": return new(FetchItemKind.SaveDate);
            case "RFC822": return new(FetchItemKind.Rfc822);
            case "RFC822.HEADER": return new(FetchItemKind.Rfc822Header);
            case "RFC822.TEXT": return new(FetchItemKind.Rfc822Text);
            case "BODY" when r.Peek() != '[': return new(FetchItemKind.Body);
            case "BODY" or "BODY.PEEK": return new(FetchItemKind.BodySection, Section(r, binary: false), name == "BODY.PEEK");
            case "BINARY" or "BINARY.PEEK": return new(FetchItemKind.Binary, Section(r, binary: true), name == "BINARY.PEEK");
            case "BINARY.SIZE":
            {
                var section = Section(r, binary: true);
                if (section.PartialStart is not null) throw r.Error("BINARY.SIZE takes no partial");
                return new(FetchItemKind.BinarySize, section);
            }
            default: throw r.Error($"Unknown FETCH item {name}");
        }
    }

    /// <summary>
    /// PREVIEW with its optional "(LAZY)" modifier (RFC 8970 §3), or the draft form Dovecot also serves: PREVIEW (FUZZY)
    /// and SNIPPET (FUZZY) (draft-ietf-extra-imap-fetch-preview-00, announced as PREVIEW=FUZZY and SNIPPET=FUZZY),
    /// answered as "NAME (FUZZY text)". SNIPPET exists only in the draft form.
    /// </summary>
    private static FetchItem Preview(ImapReader r, string name)
    {
        if (r.TryText(" (LAZY)") && name == "PREVIEW") return new(FetchItemKind.Preview);
        if (r.TryText(" (FUZZY)")) return new(name == "PREVIEW" ? FetchItemKind.PreviewFuzzy : FetchItemKind.SnippetFuzzy);
        if (name == "SNIPPET") throw r.Error("SNIPPET needs (FUZZY)");
        return new(FetchItemKind.Preview);
    }

    /// <summary>Parses a section spec without brackets (e.g. "1.2.HEADER", "TEXT"; an IMAP URL's SECTION, RFC 5092 §3) with no partial.</summary>
    public static bool TryParseSection(string spec, [NotNullWhen(true)] out BodySection? section)
    {
        section = null;
        try
        {
            var reader = new ImapReader(System.Text.Encoding.UTF8.GetBytes("[" + spec + "]"), 4);
            var parsed = Section(reader, binary: false);
            reader.End();
            if (parsed.PartialStart is not null) return false;
            section = parsed;
            return true;
        }
        catch (Exception e) when (e is ImapParseException or ArgumentException or FormatException or OverflowException or InvalidOperationException)
        {
            return false;
        }
    }

    private static BodySection Section(ImapReader r, bool binary)
    {
        r.Expect('[');
        var part = new List<int>();
        var kind = SectionKind.All;
        var fields = new List<string>();
        if (!r.TryChar(']'))
        {
            while (r.Peek() is >= '1' and <= '9')
            {
                var n = r.NzNumber();
                if (n > 10_000 || part.Count >= 64) throw r.Error("Section part too deep");
                part.Add((int)n);
                if (!r.TryChar('.')) break;
            }
            if (r.Peek() != ']')
            {
                if (binary) throw r.Error("BINARY sections are part numbers only");
                var text = r.Until("]").ToUpperInvariant();
                kind = text switch
                {
                    "HEADER" => SectionKind.Header,
                    "HEADER.FIELDS" => SectionKind.HeaderFields,
                    "HEADER.FIELDS.NOT" => SectionKind.HeaderFieldsNot,
                    "TEXT" => SectionKind.Text,
                    "MIME" when part.Count > 0 => SectionKind.Mime,
                    _ => throw r.Error($"Unknown section {text}"),
                };
                if (kind is SectionKind.HeaderFields or SectionKind.HeaderFieldsNot)
                {
                    r.Sp();
                    fields = r.List(r.AString, allowEmpty: false);
                }
            }
            r.Expect(']');
        }
        long? start = null, length = null;
        if (r.TryChar('<'))
        {
            start = r.Number();
            r.Expect('.');
            length = r.NzNumber();
            r.Expect('>');
        }
        return new BodySection(part, kind, fields, start, length);
    }

    private static StoreCommand Store(ImapReader r, string tag)
    {
        var set = SpSet(r);
        r.Sp();
        long? unchangedSince = null;
        if (r.Peek() == '(')
        {
            r.List(() =>
            {
                var modifier = r.Atom().ToUpperInvariant();
                if (modifier != "UNCHANGEDSINCE") throw r.Error($"Unknown STORE modifier {modifier}");
                r.Sp();
                unchangedSince = r.Number64();
                return modifier;
            }, allowEmpty: false);
            r.Sp();
        }
        var item = r.Atom().ToUpperInvariant();
        var mode = item[0] switch { '+' => StoreMode.Add, '-' => StoreMode.Remove, _ => StoreMode.Replace };
        var bare = mode == StoreMode.Replace ? item : item[1..];
        var silent = bare.EndsWith(".SILENT", StringComparison.Ordinal);
        if (silent) bare = bare[..^".SILENT".Length];
        if (bare != "FLAGS") throw r.Error($"Unknown STORE item {item}");
        r.Sp();
        List<string> flags;
        if (r.Peek() == '(') flags = r.List(r.Flag);
        else
        {
            flags = [r.Flag()];
            while (r.TrySp()) flags.Add(r.Flag());
        }
        return new StoreCommand(tag, set, mode, silent, flags, unchangedSince);
    }

    private static SearchCommand Search(ImapReader r, string tag)
    {
        r.Sp();
        var returns = SearchReturn.None;
        var extended = false;
        string? charset = null;
        (long, long) partial = default;
        if (r.Peek() is 'R' or 'r' && PeekWord(r, "RETURN"))
        {
            extended = true;
            returns = ReturnOptions(r, out partial);
            r.Sp();
        }
        if (r.Peek() is 'C' or 'c' && PeekWord(r, "CHARSET"))
        {
            r.Atom();
            r.Sp();
            charset = r.AString();
            r.Sp();
        }
        var keys = new List<SearchKey> { SearchKeyOf(r) };
        while (r.TrySp()) keys.Add(SearchKeyOf(r));
        var criteria = keys.Count == 1 ? keys[0] : new SearchKey(SearchKeyKind.And) { Children = keys };
        return new SearchCommand(tag, criteria, charset, returns, extended) { Partial = partial };
    }

    /// <summary>RETURN (options) of SEARCH (RFC 4731 §3.1, RFC 5182 §2.1) and SORT (RFC 5267 §3, PARTIAL §4.4); none means ALL.</summary>
    private static SearchReturn ReturnOptions(ImapReader r, out (long Low, long High) partial)
    {
        r.Atom();
        r.Sp();
        var returns = SearchReturn.None;
        (long, long) range = default;
        r.List(() =>
        {
            var option = r.Atom().ToUpperInvariant();
            returns |= option switch
            {
                "MIN" => SearchReturn.Min,
                "MAX" => SearchReturn.Max,
                "ALL" => SearchReturn.All,
                "COUNT" => SearchReturn.Count,
                "SAVE" => SearchReturn.Save,
                "PARTIAL" => SearchReturn.Partial,
                "UPDATE" => SearchReturn.Update,
                _ => throw r.Error($"Unsupported RETURN option {option}"),
            };
            if (option == "PARTIAL")
            {
                r.Sp();
                var low = r.NzNumber();
                r.Expect(':');
                var high = r.NzNumber();
                range = low <= high ? (low, high) : (high, low);
            }
            return option;
        });
        partial = range;
        return returns == SearchReturn.None ? SearchReturn.All : returns;
    }

    /// <summary>NOTIFY NONE / NOTIFY SET [STATUS] event-group... (RFC 5465 §8).</summary>
    private static NotifyCommand Notify(ImapReader r, string tag)
    {
        r.Sp();
        var verb = r.Atom().ToUpperInvariant();
        if (verb == "NONE") return new NotifyCommand(tag, None: true, Status: false, []);
        if (verb != "SET") throw r.Error("Expected NOTIFY SET or NOTIFY NONE");
        r.Sp();
        var status = false;
        if (r.Peek() is 'S' or 's')
        {
            if (r.Atom().ToUpperInvariant() != "STATUS") throw r.Error("Expected STATUS or an event group");
            status = true;
            r.Sp();
        }
        var groups = new List<NotifyGroup> { NotifyGroupOf(r) };
        while (r.TrySp()) groups.Add(NotifyGroupOf(r));
        return new NotifyCommand(tag, None: false, status, groups);
    }

    private static NotifyGroup NotifyGroupOf(ImapReader r)
    {
        r.Expect('(');
        r.Enter();
        var filter = r.Atom().ToUpperInvariant() switch
        {
            "SELECTED" => NotifyFilter.Selected,
            "SELECTED-DELAYED" => NotifyFilter.SelectedDelayed,
            "INBOXES" => NotifyFilter.Inboxes,
            "PERSONAL" => NotifyFilter.Personal,
            "SUBSCRIBED" => NotifyFilter.Subscribed,
            "SUBTREE" => NotifyFilter.Subtree,
            "MAILBOXES" => NotifyFilter.Mailboxes,
            var other => throw r.Error($"Unknown NOTIFY filter {other}"),
        };
        var names = new List<string>();
        if (filter is NotifyFilter.Subtree or NotifyFilter.Mailboxes)
        {
            r.Sp();
            if (r.Peek() == '(') names = r.List(r.AString, allowEmpty: false);
            else names.Add(r.AString());
        }
        r.Sp();
        var events = NotifyEvents.None;
        var unknown = new List<string>();
        List<FetchItem> fetch = [];
        if (r.Peek() != '(')
        {
            if (r.Atom().ToUpperInvariant() != "NONE") throw r.Error("Expected an event list or NONE");
        }
        else
        {
            r.Expect('(');
            r.Enter();
            while (true)
            {
                var name = r.Atom();
                var parsed = char.IsLetter(name[0]) && Enum.TryParse<NotifyEvents>(name, ignoreCase: true, out var known) && known != NotifyEvents.None && Enum.IsDefined(known)
                    ? known
                    : NotifyEvents.None;
                if (parsed == NotifyEvents.None) unknown.Add(name);
                events |= parsed;
                if (!r.TrySp()) break;
                // RFC 5465 §8: MessageNew may carry the FETCH attributes of the new messages.
                if (parsed != NotifyEvents.MessageNew || r.Peek() != '(') continue;
                fetch = r.List(() => FetchAttribute(r), allowEmpty: false);
                if (!r.TrySp()) break;
            }
            r.Expect(')');
            r.Leave();
        }
        r.Expect(')');
        r.Leave();
        return new NotifyGroup(filter, names, events, unknown) { FetchItems = fetch };
    }

    private static SortCommand Sort(ImapReader r, string tag)
    {
        r.Sp();
        var returns = SearchReturn.None;
        (long, long) partial = default;
        var extended = false;
        if (r.Peek() is 'R' or 'r' && PeekWord(r, "RETURN"))
        {
            extended = true;
            returns = ReturnOptions(r, out partial);
            r.Sp();
        }
        var criteria = new List<SortCriterion>();
        var reverse = false;
        r.List(() =>
        {
            var word = r.Atom().ToUpperInvariant();
            if (word == "REVERSE")
            {
                if (reverse) throw r.Error("REVERSE twice");
                reverse = true;
                return word;
            }
            var key = word switch
            {
                "ARRIVAL" => SortKey.Arrival,
                "CC" => SortKey.Cc,
                "DATE" => SortKey.Date,
                "FROM" => SortKey.From,
                "SIZE" => SortKey.Size,
                "SUBJECT" => SortKey.Subject,
                "TO" => SortKey.To,
                "DISPLAYFROM" => SortKey.DisplayFrom,
                "DISPLAYTO" => SortKey.DisplayTo,
                _ => throw r.Error($"Unknown sort key {word}"),
            };
            criteria.Add(new SortCriterion(key, reverse));
            reverse = false;
            return word;
        }, allowEmpty: false);
        if (reverse) throw r.Error("REVERSE needs a sort key");
        var (charset, search) = CharsetAndKeys(r);
        return new SortCommand(tag, criteria, charset, search) { Return = returns, Extended = extended, Partial = partial };
    }

    private static ThreadCommand Thread(ImapReader r, string tag)
    {
        r.Sp();
        var name = r.Atom().ToUpperInvariant();
        var algorithm = name switch
        {
            "ORDEREDSUBJECT" => ThreadAlgorithm.OrderedSubject,
            "REFERENCES" => ThreadAlgorithm.References,
            "REFS" => ThreadAlgorithm.Refs,
            _ => throw r.Error($"Unknown threading algorithm {name}"),
        };
        var (charset, search) = CharsetAndKeys(r);
        return new ThreadCommand(tag, algorithm, charset, search);
    }

    /// <summary>SP charset 1*(SP search-key) of SORT and THREAD.</summary>
    private static (string Charset, SearchKey Search) CharsetAndKeys(ImapReader r)
    {
        r.Sp();
        var charset = r.AString();
        r.Sp();
        var keys = new List<SearchKey> { SearchKeyOf(r) };
        while (r.TrySp()) keys.Add(SearchKeyOf(r));
        return (charset, keys.Count == 1 ? keys[0] : new SearchKey(SearchKeyKind.And) { Children = keys });
    }

    private static bool PeekWord(ImapReader r, string word)
    {
        var probe = r.Peek();
        return probe >= 0 && r.PeekAtom().Equals(word, StringComparison.OrdinalIgnoreCase);
    }

    private static SearchKey SearchKeyOf(ImapReader r)
    {
        r.Enter();
        try
        {
            if (r.Peek() == '(')
            {
                var children = r.List(() => SearchKeyOf(r), allowEmpty: false);
                return children.Count == 1 ? children[0] : new SearchKey(SearchKeyKind.And) { Children = children };
            }
            if (r.IsSequenceSetStart()) return new SearchKey(SearchKeyKind.SequenceSet) { Set = r.SequenceSet() };
            var word = r.Atom().ToUpperInvariant();
            switch (word)
            {
                case "ALL": return new(SearchKeyKind.All);
                case "ANSWERED": return Flag("\\Answered", true);
                case "DELETED": return Flag("\\Deleted", true);
                case "DRAFT": return Flag("\\Draft", true);
                case "FLAGGED": return Flag("\\Flagged", true);
                case "SEEN": return Flag("\\Seen", true);
                case "UNANSWERED": return Flag("\\Answered", false);
                case "UNDELETED": return Flag("\\Deleted", false);
                case "UNDRAFT": return Flag("\\Draft", false);
                case "UNFLAGGED": return Flag("\\Flagged", false);
                case "UNSEEN": return Flag("\\Seen", false);
                case "KEYWORD": r.Sp(); return Flag(r.Atom(), true);
                case "UNKEYWORD": r.Sp(); return Flag(r.Atom(), false);
                case "RECENT": return new(SearchKeyKind.Recent);
                // RFC 3501 §6.4.4: NEW is RECENT UNSEEN, OLD is NOT RECENT.
                case "NEW": return new(SearchKeyKind.And) { Children = [new(SearchKeyKind.Recent), Flag("\\Seen", false)] };
                case "OLD": return new(SearchKeyKind.Not) { Children = [new(SearchKeyKind.Recent)] };
                case "LARGER": r.Sp(); return new(SearchKeyKind.Larger) { Number = r.Number64() };
                case "SMALLER": r.Sp(); return new(SearchKeyKind.Smaller) { Number = r.Number64() };
                case "OLDER": r.Sp(); return new(SearchKeyKind.Older) { Number = r.NzNumber() };
                case "YOUNGER": r.Sp(); return new(SearchKeyKind.Younger) { Number = r.NzNumber() };
                case "BEFORE": return DateKey(r, SearchKeyKind.Before);
                case "ON": return DateKey(r, SearchKeyKind.On);
                case "SINCE": return DateKey(r, SearchKeyKind.Since);
                case "SENTBEFORE": return DateKey(r, SearchKeyKind.SentBefore);
                case "SENTON": return DateKey(r, SearchKeyKind.SentOn);
                case "SENTSINCE": return DateKey(r, SearchKeyKind.SentSince);
                case "SAVEDBEFORE": return DateKey(r, SearchKeyKind.SavedBefore);
                case "SAVEDON": return DateKey(r, SearchKeyKind.SavedOn);
                case "SAVEDSINCE": return DateKey(r, SearchKeyKind.SavedSince);
                // RFC 8514 §5: every folder here keeps save dates, so SAVEDATESUPPORTED matches every message.
                case "SAVEDATESUPPORTED": return new(SearchKeyKind.All);
                case "EMAILID": r.Sp(); return new(SearchKeyKind.EmailId) { Text = r.Atom() };
                case "THREADID": r.Sp(); return new(SearchKeyKind.ThreadId) { Text = r.Atom() };
                case "FROM" or "TO" or "CC" or "BCC":
                    r.Sp();
                    return new(SearchKeyKind.Address) { Field = word, Text = r.AString() };
                case "SUBJECT":
                    r.Sp();
                    return new(SearchKeyKind.Header) { Field = word, Text = r.AString() };
                case "HEADER":
                {
                    r.Sp();
                    var field = r.AString();
                    r.Sp();
                    return new(SearchKeyKind.Header) { Field = field, Text = r.AString() };
                }
                case "BODY": r.Sp(); return new(SearchKeyKind.Body) { Text = r.AString() };
                case "TEXT": r.Sp(); return new(SearchKeyKind.Text) { Text = r.AString() };
                case "UID": r.Sp(); return new(SearchKeyKind.Uid) { Set = r.SequenceSet() };
                case "NOT": r.Sp(); return new(SearchKeyKind.Not) { Children = [SearchKeyOf(r)] };
                case "OR":
                {
                    r.Sp();
                    var left = SearchKeyOf(r);
                    r.Sp();
                    return new(SearchKeyKind.Or) { Children = [left, SearchKeyOf(r)] };
                }
                case "MODSEQ":
                {
                    r.Sp();
                    // RFC 7162 §3.1.5: optional entry-name and entry-type before the value; only the value matters here.
                    if (r.Peek() == '"')
                    {
                        r.String();
                        r.Sp();
                        r.Atom();
                        r.Sp();
                    }
                    return new(SearchKeyKind.Modseq) { Number = r.Number64() };
                }
                default: throw r.Error($"Unknown search key {word}");
            }
        }
        finally
        {
            r.Leave();
        }

        static SearchKey Flag(string flag, bool set) => new(set ? SearchKeyKind.Flag : SearchKeyKind.NoFlag) { Field = flag };
    }

    private static SearchKey DateKey(ImapReader r, SearchKeyKind kind)
    {
        r.Sp();
        var text = r.Peek() == '"' ? r.String() : r.Atom();
        if (!ImapDate.TryParseDate(text, out var date)) throw r.Error($"Invalid date {text}");
        return new SearchKey(kind) { Date = date };
    }
}
