using Mail.Grains.Interfaces.Delivery;
using MimeKit;

namespace Mail.Grains.Delivery.Sieve;

/// <summary>
/// Parses and validates a script against what this server implements, so that every error is found at upload with
/// its line and column (RFC 5228 §2.10.6), never at delivery: unknown commands, tests, tags and comparators, missing
/// "require" of an extension (§3.2), arguments of the wrong kind, if/elsif/else order, bad addresses in redirect.
/// </summary>
public static class SieveCompiler
{
    private enum Arg { None, String, Strings, Number }

    private sealed record TagSpec(string Group, Arg Value, string? Extension = null);

    private sealed record Spec(bool IsTest, string? Extension, Dictionary<string, TagSpec> Tags, Arg[] Positional, int MinTests, int MaxTests, bool Block = false);

    private static readonly Dictionary<string, TagSpec> MatchTags = new()
    {
        ["is"] = new("match", Arg.None), ["contains"] = new("match", Arg.None), ["matches"] = new("match", Arg.None),
        ["value"] = new("match", Arg.String, "relational"), ["count"] = new("match", Arg.String, "relational"),
        ["comparator"] = new("comparator", Arg.String),
    };

    private static Dictionary<string, TagSpec> With(Dictionary<string, TagSpec> a, Dictionary<string, TagSpec> b) =>
        a.Concat(b).ToDictionary(p => p.Key, p => p.Value);

    private static readonly Dictionary<string, TagSpec> AddressTags = With(MatchTags, new()
    {
        ["all"] = new("part", Arg.None), ["localpart"] = new("part", Arg.None), ["domain"] = new("part", Arg.None),
    });

    private static readonly Dictionary<string, Spec> Specs = new()
    {
        ["require"] = new(false, null, [], [Arg.Strings], 0, 0),
        ["if"] = new(false, null, [], [], 1, 1, Block: true),
        ["elsif"] = new(false, null, [], [], 1, 1, Block: true),
        ["else"] = new(false, null, [], [], 0, 0, Block: true),
        ["stop"] = new(false, null, [], [], 0, 0),
        ["keep"] = new(false, null, new() { ["flags"] = new("flags", Arg.Strings, "imap4flags") }, [], 0, 0),
        ["discard"] = new(false, null, [], [], 0, 0),
        ["fileinto"] = new(false, "fileinto", new()
        {
            ["flags"] = new("flags", Arg.Strings, "imap4flags"), ["copy"] = new("copy", Arg.None, "copy"), ["create"] = new("create", Arg.None, "mailbox"),
        }, [Arg.String], 0, 0),
        ["redirect"] = new(false, null, new() { ["copy"] = new("copy", Arg.None, "copy") }, [Arg.String], 0, 0),
        ["reject"] = new(false, "reject", [], [Arg.String], 0, 0),
        ["vacation"] = new(false, "vacation", new()
        {
            ["days"] = new("days", Arg.Number), ["subject"] = new("subject", Arg.String), ["from"] = new("from", Arg.String),
            ["addresses"] = new("addresses", Arg.Strings), ["mime"] = new("mime", Arg.None), ["handle"] = new("handle", Arg.String),
        }, [Arg.String], 0, 0),
        ["setflag"] = new(false, "imap4flags", [], [Arg.Strings], 0, 0),
        ["addflag"] = new(false, "imap4flags", [], [Arg.Strings], 0, 0),
        ["removeflag"] = new(false, "imap4flags", [], [Arg.Strings], 0, 0),
        ["address"] = new(true, null, AddressTags, [Arg.Strings, Arg.Strings], 0, 0),
        ["envelope"] = new(true, "envelope", AddressTags, [Arg.Strings, Arg.Strings], 0, 0),
        ["header"] = new(true, null, MatchTags, [Arg.Strings, Arg.Strings], 0, 0),
        ["exists"] = new(true, null, [], [Arg.Strings], 0, 0),
        ["size"] = new(true, null, new() { ["over"] = new("size", Arg.None), ["under"] = new("size", Arg.None) }, [Arg.Number], 0, 0),
        ["body"] = new(true, "body", With(MatchTags, new()
        {
            ["raw"] = new("transform", Arg.None), ["text"] = new("transform", Arg.None), ["content"] = new("transform", Arg.Strings),
        }), [Arg.Strings], 0, 0),
        ["hasflag"] = new(true, "imap4flags", MatchTags, [Arg.Strings], 0, 0),
        ["date"] = new(true, "date", With(MatchTags, new()
        {
            ["zone"] = new("zone", Arg.String), ["originalzone"] = new("zone", Arg.None),
        }), [Arg.String, Arg.String, Arg.Strings], 0, 0),
        ["currentdate"] = new(true, "date", With(MatchTags, new() { ["zone"] = new("zone", Arg.String) }), [Arg.String, Arg.Strings], 0, 0),
        ["allof"] = new(true, null, [], [], 1, int.MaxValue),
        ["anyof"] = new(true, null, [], [], 1, int.MaxValue),
        ["not"] = new(true, null, [], [], 1, 1),
        ["true"] = new(true, null, [], [], 0, 0),
        ["false"] = new(true, null, [], [], 0, 0),
    };

    /// <summary>Compiles a script or throws <see cref="SieveException"/> at its first error.</summary>
    public static SieveScript Compile(string script)
    {
        var nodes = SieveParser.Parse(script);
        var required = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var commands = Commands(nodes, required, topLevel: true);
        return new SieveScript(commands, required);
    }

    private static List<SieveCall> Commands(IReadOnlyList<SieveNode> nodes, HashSet<string> required, bool topLevel)
    {
        var calls = new List<SieveCall>(nodes.Count);
        var seenOther = false;
        string? previous = null;
        foreach (var node in nodes)
        {
            var spec = Specs.GetValueOrDefault(node.Name);
            if (spec is null || spec.IsTest) throw new SieveException($"unknown command '{node.Name}'", node.Line, node.Column);
            if (node.Name == "require")
            {
                // RFC 5228 §3.2: require only at the top, before any other command.
                if (!topLevel || seenOther) throw new SieveException("require must come before any other command", node.Line, node.Column);
                var call = Call(node, spec, required);
                foreach (var extension in call.Strings(0))
                {
                    if (!SieveCapabilities.Extensions.Contains(extension.ToLowerInvariant()))
                    {
                        throw new SieveException($"unsupported extension \"{extension}\"", node.Positional().Line, node.Positional().Column);
                    }
                    required.Add(extension);
                }
                calls.Add(call);
                continue;
            }
            seenOther = true;
            if (node.Name is "elsif" or "else" && previous is not ("if" or "elsif"))
            {
                throw new SieveException($"{node.Name} must follow if or elsif", node.Line, node.Column);
            }
            if (spec.Block && node.Block is null) throw new SieveException($"{node.Name} needs a block {{ ... }}", node.Line, node.Column);
            if (!spec.Block && node.Block is not null) throw new SieveException($"{node.Name} takes no block; end it with ';'", node.Line, node.Column);
            calls.Add(Call(node, spec, required));
            previous = node.Name;
        }
        return calls;
    }

    private static SieveCall Call(SieveNode node, Spec spec, HashSet<string> required)
    {
        if (spec.Extension is { } extension && !required.Contains(extension))
        {
            throw new SieveException($"{node.Name} needs require \"{extension}\"", node.Line, node.Column);
        }
        var tags = new Dictionary<string, SieveArgument?>();
        var groups = new HashSet<string>();
        var positional = new List<SieveArgument>();
        var arguments = node.Arguments;
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument.Tag is not { } tag)
            {
                positional.Add(argument);
                continue;
            }
            if (positional.Count > 0) throw new SieveException($"tag :{tag} must come before the other arguments of {node.Name}", argument.Line, argument.Column);
            if (!spec.Tags.TryGetValue(tag, out var tagSpec)) throw new SieveException($"unknown tag :{tag} for {node.Name}", argument.Line, argument.Column);
            if (tagSpec.Extension is { } needed && !required.Contains(needed))
            {
                throw new SieveException($":{tag} needs require \"{needed}\"", argument.Line, argument.Column);
            }
            if (!groups.Add(tagSpec.Group)) throw new SieveException($":{tag} conflicts with an earlier tag of {node.Name}", argument.Line, argument.Column);
            SieveArgument? value = null;
            if (tagSpec.Value != Arg.None)
            {
                if (i + 1 >= arguments.Count || !Fits(arguments[i + 1], tagSpec.Value))
                {
                    throw new SieveException($":{tag} needs {Describe(tagSpec.Value)}", argument.Line, argument.Column);
                }
                value = arguments[++i];
            }
            tags[tag] = value;
        }
        if (positional.Count != spec.Positional.Length)
        {
            throw new SieveException($"{node.Name} takes {spec.Positional.Length} argument(s) besides its tags, found {positional.Count}", node.Line, node.Column);
        }
        for (var i = 0; i < positional.Count; i++)
        {
            if (!Fits(positional[i], spec.Positional[i]))
            {
                throw new SieveException($"{node.Name} needs {Describe(spec.Positional[i])} here, found {positional[i].Describe()}", positional[i].Line, positional[i].Column);
            }
        }
        if (node.Tests.Count < spec.MinTests || node.Tests.Count > spec.MaxTests)
        {
            throw new SieveException(spec.MinTests == 0 ? $"{node.Name} takes no test" : $"{node.Name} needs {(spec.MaxTests == 1 ? "a test" : "a test list")}", node.Line, node.Column);
        }
        var tests = node.Tests.Select(t => Test(t, required)).ToList();
        var block = node.Block is null ? null : Commands(node.Block, required, topLevel: false);
        var call = new SieveCall(node.Name, tags, positional, tests, block, node.Line, node.Column);
        Check(call);
        return call;
    }

    private static SieveCall Test(SieveNode node, HashSet<string> required)
    {
        var spec = Specs.GetValueOrDefault(node.Name);
        if (spec is null || !spec.IsTest) throw new SieveException($"unknown test '{node.Name}'", node.Line, node.Column);
        if (node.Block is not null) throw new SieveException("a test takes no block", node.Line, node.Column);
        return Call(node, spec, required);
    }

    /// <summary>Checks that need the values: comparators, envelope parts, size tag, addresses.</summary>
    private static void Check(SieveCall call)
    {
        if (call.Tags.GetValueOrDefault("comparator") is { } comparator)
        {
            var name = comparator.Strings![0];
            // RFC 5228 §2.7.3: i;octet and i;ascii-casemap need no require; no other is implemented.
            if (name is not ("i;octet" or "i;ascii-casemap")) throw new SieveException($"comparator \"{name}\" is not supported", comparator.Line, comparator.Column);
        }
        foreach (var relational in new[] { "value", "count" })
        {
            // RFC 5231 §4: the relational match types take one of six relations.
            if (call.Tags.GetValueOrDefault(relational) is { } relation && !SieveMatcher.Relations.Contains(relation.Strings![0].ToLowerInvariant()))
            {
                throw new SieveException($"\"{relation.Strings[0]}\" is not a relation (gt, ge, lt, le, eq, ne)", relation.Line, relation.Column);
            }
        }
        if (call.Tags.GetValueOrDefault("zone") is { } zone && !SieveDates.TryParseZone(zone.Strings![0], out _))
        {
            throw new SieveException($"\"{zone.Strings[0]}\" is not a time zone (+hhmm or -hhmm, RFC 5260 §4.1)", zone.Line, zone.Column);
        }
        if (call.Name is "date" or "currentdate")
        {
            var part = call.Positional[call.Name == "date" ? 1 : 0];
            if (!SieveDates.Parts.Contains(part.Strings![0].ToLowerInvariant()))
            {
                throw new SieveException($"\"{part.Strings[0]}\" is not a date part (RFC 5260 §4.2)", part.Line, part.Column);
            }
        }
        switch (call.Name)
        {
            case "size" when !call.Has("over") && !call.Has("under"):
                throw new SieveException("size needs :over or :under", call.Line, call.Column);
            case "envelope":
                foreach (var part in call.Strings(0))
                {
                    if (!part.Equals("from", StringComparison.OrdinalIgnoreCase) && !part.Equals("to", StringComparison.OrdinalIgnoreCase))
                    {
                        throw new SieveException($"envelope part \"{part}\" is not supported (from, to)", call.Positional[0].Line, call.Positional[0].Column);
                    }
                }
                break;
            case "redirect":
                if (!MailboxAddress.TryParse(call.String(0), out var address) || !address.Address.Contains('@'))
                {
                    throw new SieveException($"\"{call.String(0)}\" is not an e-mail address", call.Positional[0].Line, call.Positional[0].Column);
                }
                break;
            case "fileinto" when call.String(0).Trim().Length == 0:
                throw new SieveException("fileinto needs a folder name", call.Positional[0].Line, call.Positional[0].Column);
            case "vacation" when call.Tags.GetValueOrDefault("from") is { } from && (!MailboxAddress.TryParse(from.Strings![0], out var sender) || !sender.Address.Contains('@')):
                throw new SieveException($"\"{from.Strings![0]}\" is not an e-mail address", from.Line, from.Column);
        }
    }

    private static bool Fits(SieveArgument argument, Arg kind) => kind switch
    {
        Arg.String => argument.Strings is { Count: 1 } && !argument.Bracketed,
        Arg.Strings => argument.Strings is not null,
        Arg.Number => argument.Number is not null,
        _ => false,
    };

    private static string Describe(Arg kind) => kind switch
    {
        Arg.String => "a string",
        Arg.Strings => "a string or string list",
        Arg.Number => "a number",
        _ => "nothing",
    };

    private static SieveArgument Positional(this SieveNode node) => node.Arguments.FirstOrDefault(a => a.Tag is null) ?? new SieveArgument(null, null, null, false, node.Line, node.Column);
}
