namespace Mail.Grains.Delivery.Sieve;

/// <summary>
/// The grammar of RFC 5228 §8.2 over <see cref="SieveLexer"/> tokens: commands with arguments, a test or test list,
/// and ";" or a block. Nesting is bounded so a hostile script cannot exhaust the stack.
/// </summary>
public sealed class SieveParser
{
    /// <summary>Deepest nesting of blocks and tests accepted.</summary>
    public const int MaxNesting = 32;

    private readonly List<SieveToken> _tokens;
    private int _index;

    private SieveParser(string script) => _tokens = SieveLexer.Tokenize(script);

    /// <summary>The commands of a script; throws <see cref="SieveException"/> at the first error.</summary>
    public static IReadOnlyList<SieveNode> Parse(string script)
    {
        var parser = new SieveParser(script);
        var commands = parser.Commands(0);
        var end = parser.Peek;
        if (end.Kind != SieveTokenKind.End) throw new SieveException($"unexpected '{end.Text}'", end.Line, end.Column);
        return commands;
    }

    private SieveToken Peek => _tokens[_index];

    private SieveToken Take() => _tokens[_index++];

    private bool IsPunctuation(string p) => Peek.Kind == SieveTokenKind.Punctuation && Peek.Text == p;

    private List<SieveNode> Commands(int depth)
    {
        var commands = new List<SieveNode>();
        while (Peek.Kind == SieveTokenKind.Identifier) commands.Add(Command(depth));
        return commands;
    }

    private SieveNode Command(int depth)
    {
        var name = Take();
        var (arguments, tests) = Arguments(depth);
        if (IsPunctuation(";"))
        {
            Take();
            return new SieveNode(name.Text, arguments, tests, null, name.Line, name.Column);
        }
        if (IsPunctuation("{"))
        {
            if (depth >= MaxNesting) throw new SieveException("blocks nested too deeply", Peek.Line, Peek.Column);
            Take();
            var block = Commands(depth + 1);
            if (!IsPunctuation("}")) throw Expected("'}' or a command");
            Take();
            return new SieveNode(name.Text, arguments, tests, block, name.Line, name.Column);
        }
        throw Expected($"';' after the {name.Text} command");
    }

    private (List<SieveArgument> Arguments, List<SieveNode> Tests) Arguments(int depth)
    {
        var arguments = new List<SieveArgument>();
        while (true)
        {
            var token = Peek;
            if (token.Kind == SieveTokenKind.Tag)
            {
                Take();
                arguments.Add(new SieveArgument(token.Text, null, null, false, token.Line, token.Column));
            }
            else if (token.Kind == SieveTokenKind.Number)
            {
                Take();
                arguments.Add(new SieveArgument(null, token.Number, null, false, token.Line, token.Column));
            }
            else if (token.Kind == SieveTokenKind.String)
            {
                Take();
                arguments.Add(new SieveArgument(null, null, [token.Text], false, token.Line, token.Column));
            }
            else if (IsPunctuation("["))
            {
                Take();
                var strings = new List<string>();
                while (true)
                {
                    if (Peek.Kind != SieveTokenKind.String) throw Expected("a string in the list");
                    strings.Add(Take().Text);
                    if (IsPunctuation(","))
                    {
                        Take();
                        continue;
                    }
                    if (IsPunctuation("]"))
                    {
                        Take();
                        break;
                    }
                    throw Expected("',' or ']'");
                }
                arguments.Add(new SieveArgument(null, null, strings, true, token.Line, token.Column));
            }
            else
            {
                break;
            }
        }
        var tests = new List<SieveNode>();
        if (Peek.Kind == SieveTokenKind.Identifier)
        {
            tests.Add(Test(depth + 1));
        }
        else if (IsPunctuation("("))
        {
            Take();
            while (true)
            {
                if (Peek.Kind != SieveTokenKind.Identifier) throw Expected("a test");
                tests.Add(Test(depth + 1));
                if (IsPunctuation(","))
                {
                    Take();
                    continue;
                }
                if (IsPunctuation(")"))
                {
                    Take();
                    break;
                }
                throw Expected("',' or ')'");
            }
        }
        return (arguments, tests);
    }

    private SieveNode Test(int depth)
    {
        if (depth >= MaxNesting) throw new SieveException("tests nested too deeply", Peek.Line, Peek.Column);
        var name = Take();
        var (arguments, tests) = Arguments(depth);
        return new SieveNode(name.Text, arguments, tests, null, name.Line, name.Column);
    }

    private SieveException Expected(string what)
    {
        var token = Peek;
        var found = token.Kind switch
        {
            SieveTokenKind.End => "the end of the script",
            SieveTokenKind.String => "a string",
            SieveTokenKind.Number => "a number",
            SieveTokenKind.Tag => $"':{token.Text}'",
            _ => $"'{token.Text}'",
        };
        return new SieveException($"expected {what}, found {found}", token.Line, token.Column);
    }
}
