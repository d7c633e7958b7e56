using System.Globalization;
using System.Text;

namespace Mail.Frontends.Imap.Protocol;

/// <summary>
/// The i;unicode-casemap comparator (RFC 5051 §2) that I18NLEVEL=1 (RFC 5255 §4.1) makes the default of SEARCH's
/// substring matching and SORT's keys: each character is case-mapped, decomposed (NFKD, with canonical ordering of
/// combining marks) and case-mapped again (as Dovecot does, so the lower-case letters a ligature decomposes to fold
/// too); then octets compare. So "ǳ" and "Ǳ", "ﬁ" and "FI", a precomposed "é" and "e" with a combining acute, and
/// full-width "ＡＢＣ" and "abc" all match, while accents still count. The upper-case mapping stands in for RFC 5051's
/// title-case one: they differ only on the Latin digraphs, whose forms all decompose to the same letters.
/// The host runs with invariant globalization (no ICU, so string.Normalize does not decompose): the decompositions
/// and combining classes are Unicode's, generated into UnicodeCasemap.txt by tools/gen-unicode-casemap.py.
/// </summary>
public static class UnicodeCasemap
{
    private static readonly Lazy<Tables> Data = new(Tables.Load);

    /// <summary>The comparator's canonical form of <paramref name="text"/>.</summary>
    public static string Fold(string text)
    {
        if (IsAsciiWithoutLower(text)) return text;
        var tables = Data.Value;
        var runes = new List<Rune>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            foreach (var part in tables.Decompose(Rune.ToUpperInvariant(rune))) runes.Add(Rune.ToUpperInvariant(part));
        }
        tables.OrderCombiningMarks(runes);
        var builder = new StringBuilder(runes.Count);
        foreach (var rune in runes) builder.Append(rune.ToString());
        return builder.ToString();
    }

    /// <summary>Whether <paramref name="text"/> contains <paramref name="value"/> under the comparator (RFC 5051 §2, substring).</summary>
    public static bool Contains(string text, string value) => Fold(text).Contains(Fold(value), StringComparison.Ordinal);

    private static bool IsAsciiWithoutLower(string text)
    {
        foreach (var c in text)
        {
            if (c > 0x7F || c is >= 'a' and <= 'z') return false;
        }
        return true;
    }

    /// <summary>NFKD decompositions and canonical combining classes, read once from the embedded table.</summary>
    private sealed class Tables(Dictionary<int, Rune[]> decompositions, Dictionary<int, byte> classes)
    {
        private const int HangulBase = 0xAC00, HangulCount = 11172, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7, VCount = 21, TCount = 28;

        public static Tables Load()
        {
            var decompositions = new Dictionary<int, Rune[]>();
            var classes = new Dictionary<int, byte>();
            using var stream = typeof(UnicodeCasemap).Assembly.GetManifestResourceStream("Mail.Frontends.Imap.UnicodeCasemap.txt")
                ?? throw new InvalidOperationException("The i;unicode-casemap table is not embedded.");
            using var reader = new StreamReader(stream, Encoding.ASCII);
            while (reader.ReadLine() is { } line)
            {
                if (line.Length == 0 || line[0] == '#') continue;
                var fields = line.Split(' ');
                var code = int.Parse(fields[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (fields[0] == "C") classes[code] = byte.Parse(fields[2], CultureInfo.InvariantCulture);
                else decompositions[code] = fields[2..].Select(f => new Rune(int.Parse(f, NumberStyles.HexNumber, CultureInfo.InvariantCulture))).ToArray();
            }
            return new Tables(decompositions, classes);
        }

        /// <summary>The full compatibility decomposition of one character (Unicode §3.7; Hangul syllables by §3.12's algorithm).</summary>
        public IEnumerable<Rune> Decompose(Rune rune)
        {
            var s = rune.Value - HangulBase;
            if (s is >= 0 and < HangulCount)
            {
                yield return new Rune(LBase + s / (VCount * TCount));
                yield return new Rune(VBase + s % (VCount * TCount) / TCount);
                if (s % TCount != 0) yield return new Rune(TBase + s % TCount);
                yield break;
            }
            if (decompositions.TryGetValue(rune.Value, out var parts))
            {
                foreach (var part in parts) yield return part;
            }
            else yield return rune;
        }

        /// <summary>Canonical ordering (Unicode §3.11): each run of combining marks sorted by class, stably.</summary>
        public void OrderCombiningMarks(List<Rune> runes)
        {
            for (var start = 0; start < runes.Count; start++)
            {
                if (Class(runes[start]) == 0) continue;
                var end = start;
                while (end < runes.Count && Class(runes[end]) != 0) end++;
                if (end - start > 1)
                {
                    var sorted = runes.GetRange(start, end - start).OrderBy(Class).ToList();
                    for (var i = 0; i < sorted.Count; i++) runes[start + i] = sorted[i];
                }
                start = end;
            }
        }

        private byte Class(Rune rune) => classes.GetValueOrDefault(rune.Value);
    }
}
