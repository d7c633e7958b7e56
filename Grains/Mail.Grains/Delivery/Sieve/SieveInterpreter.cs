using System.Security.Cryptography;
using System.Text;
using MimeKit;

namespace Mail.Grains.Delivery.Sieve;

/// <summary>
/// Runs a compiled script against one message (RFC 5228 §2.10: implicit keep unless cancelled by fileinto, redirect,
/// discard or reject; :copy keeps it, RFC 3894) with the internal flag variable of imap4flags (RFC 5232 §3). A runtime
/// error (reject beside keep or fileinto, RFC 5429 §2.1; more redirects than allowed, RFC 5228 §4.2; two vacations,
/// RFC 5230 §4) drops every action and keeps the message, as RFC 5228 §2.10.6 asks.
/// </summary>
public sealed class SieveInterpreter(SieveMessage message, SieveLimits limits, DateTimeOffset? now = null)
{
    private readonly DateTimeOffset _now = now ?? DateTimeOffset.UtcNow;

    private readonly List<SieveFiling> _filings = [];
    private readonly List<string> _redirects = [];
    private readonly List<string> _errors = [];
    private List<string> _flags = [];
    private bool _implicitKeep = true;
    private bool _stopped;
    private string? _reject;
    private SieveVacation? _vacation;

    /// <summary>Runs <paramref name="script"/> and returns what it decided.</summary>
    public SieveOutcome Run(SieveScript script)
    {
        Execute(script.Commands);
        if (_errors.Count == 0 && _reject is not null && _filings.Count > 0) _errors.Add("reject cannot be combined with keep or fileinto (RFC 5429 §2.1)");
        if (_errors.Count > 0) return new SieveOutcome([new SieveFiling(null, [], false)], [], null, null, _errors);
        if (_implicitKeep) _filings.Add(new SieveFiling(null, _flags.ToArray(), false));
        return new SieveOutcome(_filings, _redirects, _reject, _vacation, _errors);
    }

    private void Execute(IReadOnlyList<SieveCall> commands)
    {
        var chainTaken = false;
        foreach (var command in commands)
        {
            if (_stopped || _errors.Count > 0) return;
            switch (command.Name)
            {
                case "if":
                    chainTaken = Test(command.Tests[0]);
                    if (chainTaken) Execute(command.Block!);
                    break;
                case "elsif":
                    if (chainTaken) break;
                    chainTaken = Test(command.Tests[0]);
                    if (chainTaken) Execute(command.Block!);
                    break;
                case "else":
                    if (!chainTaken) Execute(command.Block!);
                    chainTaken = true;
                    break;
                case "require":
                    break;
                case "stop":
                    _stopped = true;
                    break;
                case "keep":
                    _filings.Add(new SieveFiling(null, FlagsOf(command), false));
                    _implicitKeep = false;
                    break;
                case "discard":
                    _implicitKeep = false;
                    break;
                case "fileinto":
                    _filings.Add(new SieveFiling(command.String(0), FlagsOf(command), command.Has("create")));
                    if (!command.Has("copy")) _implicitKeep = false;
                    break;
                case "redirect":
                    if (_redirects.Count >= limits.MaxRedirects)
                    {
                        _errors.Add($"more than {limits.MaxRedirects} redirects (line {command.Line})");
                        break;
                    }
                    _redirects.Add(MailboxAddress.Parse(command.String(0)).Address);
                    if (!command.Has("copy")) _implicitKeep = false;
                    break;
                case "reject":
                    _reject = command.String(0);
                    _implicitKeep = false;
                    break;
                case "vacation":
                    if (_vacation is not null)
                    {
                        _errors.Add($"a second vacation action (line {command.Line})");
                        break;
                    }
                    _vacation = Vacation(command);
                    break;
                case "setflag":
                    _flags = Flags(command.Strings(0)).ToList();
                    break;
                case "addflag":
                    foreach (var flag in Flags(command.Strings(0))) if (!_flags.Contains(flag, StringComparer.OrdinalIgnoreCase)) _flags.Add(flag);
                    break;
                case "removeflag":
                    var removed = Flags(command.Strings(0)).ToHashSet(StringComparer.OrdinalIgnoreCase);
                    _flags.RemoveAll(removed.Contains);
                    break;
            }
        }
    }

    /// <summary>The flags a keep or fileinto stores: its :flags, else the internal variable (RFC 5232 §5).</summary>
    private string[] FlagsOf(SieveCall command) =>
        command.TagStrings("flags") is { } flags ? Flags(flags).ToArray() : _flags.ToArray();

    /// <summary>RFC 5232 §3: each string is a space-separated list of flags.</summary>
    private static IEnumerable<string> Flags(IEnumerable<string> strings) =>
        strings.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.OrdinalIgnoreCase);

    private SieveVacation Vacation(SieveCall command)
    {
        var days = command.Tags.GetValueOrDefault("days")?.Number ?? limits.VacationDefaultDays;
        // RFC 5230 §4.1: a site may bound :days; values outside the bounds are taken as the nearest bound.
        var bounded = (int)Math.Clamp(days, limits.VacationMinDays, limits.VacationMaxDays);
        var subject = command.TagStrings("subject")?[0];
        var from = command.TagStrings("from")?[0];
        var addresses = command.TagStrings("addresses") ?? [];
        var reason = command.String(0);
        var handle = command.TagStrings("handle")?[0]
            ?? Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{subject}\n{from}\n{command.Has("mime")}\n{reason}")))[..32];
        return new SieveVacation(bounded, subject, from, addresses, command.Has("mime"), handle, reason);
    }

    private bool Test(SieveCall test)
    {
        var comparator = test.TagStrings("comparator")?[0] ?? "i;ascii-casemap";
        var matchType = test.OneOf("is", "is", "contains", "matches", "value", "count");
        bool Any(IEnumerable<string> values, IReadOnlyList<string> keys) => matchType switch
        {
            // RFC 5231 §4: :value compares each value under the comparator's ordering; :count compares how many values there are.
            "value" => values.Any(v => keys.Any(k => SieveMatcher.Relational(test.TagStrings("value")![0], comparator, v, k))),
            "count" => keys.Any(k => long.TryParse(k, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
                && SieveMatcher.Holds(test.TagStrings("count")![0], values.LongCount().CompareTo(n))),
            _ => values.Any(v => keys.Any(k => SieveMatcher.Match(matchType, comparator, v, k))),
        };
        switch (test.Name)
        {
            case "true":
                return true;
            case "false":
                return false;
            case "not":
                return !Test(test.Tests[0]);
            case "allof":
                return test.Tests.All(Test);
            case "anyof":
                return test.Tests.Any(Test);
            case "exists":
                return test.Strings(0).All(name => message.Message.Headers.Contains(name));
            case "size":
                return test.Has("over") ? message.Size > test.Positional[0].Number : message.Size < test.Positional[0].Number;
            case "header":
                return Any(test.Strings(0).SelectMany(HeaderValues), test.Strings(1));
            case "address":
                return Any(test.Strings(0).SelectMany(HeaderValues).SelectMany(AddressesIn).Select(a => Part(test, a)), test.Strings(1));
            case "envelope":
                return Any(test.Strings(0).Select(p => p.Equals("from", StringComparison.OrdinalIgnoreCase) ? message.EnvelopeFrom : message.EnvelopeTo)
                    .Select(a => Part(test, a)), test.Strings(1));
            case "body":
                return Any(BodyTexts(test), test.Strings(0));
            case "hasflag":
                return Any(_flags, test.Strings(0));
            case "currentdate":
                return Any([SieveDates.Part(InZone(test, _now), test.String(0))], test.Strings(1));
            case "date":
                // RFC 5260 §5: a field that is missing or not a date matches nothing; the last field of that name counts.
                var field = HeaderValues(test.String(0)).LastOrDefault();
                if (field is null || !MimeKit.Utils.DateUtils.TryParse(field, out var date)) return matchType == "count" && Any([], test.Strings(2));
                return Any([SieveDates.Part(test.Has("originalzone") ? date : InZone(test, date), test.String(1))], test.Strings(2));
            default:
                throw new InvalidOperationException($"Test {test.Name} passed validation but has no implementation.");
        }
    }

    /// <summary>RFC 5260 §4.1: the time in the test's :zone, else in UTC (this server's zone).</summary>
    private static DateTimeOffset InZone(SieveCall test, DateTimeOffset at) =>
        test.TagStrings("zone") is { } zone && SieveDates.TryParseZone(zone[0], out var offset) ? at.ToOffset(offset) : at.ToUniversalTime();

    private IEnumerable<string> HeaderValues(string name) =>
        message.Message.Headers.Where(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value.Trim());

    private static IEnumerable<string> AddressesIn(string value) =>
        InternetAddressList.TryParse(value, out var list) ? list.Mailboxes.Select(m => m.Address) : [];

    /// <summary>RFC 5228 §2.7.4: the whole address, the part before the last "@", or the part after it.</summary>
    private static string Part(SieveCall test, string address)
    {
        var at = address.LastIndexOf('@');
        return test.OneOf("all", "all", "localpart", "domain") switch
        {
            "localpart" => at < 0 ? address : address[..at],
            "domain" => at < 0 ? "" : address[(at + 1)..],
            _ => address,
        };
    }

    /// <summary>RFC 5173 §5: :raw is the undecoded body, :content the decoded parts of the given types, :text (the default) the text parts.</summary>
    private IEnumerable<string> BodyTexts(SieveCall test)
    {
        if (test.Has("raw")) return [message.RawBody];
        var types = test.TagStrings("content") ?? ["text"];
        return message.Message.BodyParts.OfType<MimePart>().Where(p => types.Any(t => TypeMatches(p.ContentType, t)))
            .Select(p => p is TextPart text ? text.Text : DecodedAsText(p));
    }

    private static bool TypeMatches(ContentType type, string wanted)
    {
        if (wanted.Length == 0) return true;
        var slash = wanted.IndexOf('/');
        return slash < 0
            ? type.MediaType.Equals(wanted, StringComparison.OrdinalIgnoreCase)
            : type.IsMimeType(wanted[..slash], wanted[(slash + 1)..]);
    }

    private static string DecodedAsText(MimePart part)
    {
        if (part.Content is null) return "";
        using var stream = new MemoryStream();
        part.Content.DecodeTo(stream);
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }
}
