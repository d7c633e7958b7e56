namespace Mail.Grains.Interfaces.Mailboxes;

/// <summary>
/// IMAP ACL rights (RFC 4314 §2.1) as a canonical string: letters of <see cref="All"/> in that order, each at most once.
/// The obsolete "c" and "d" (§2.1.1) are read as "kx" and "et", as Dovecot reads them.
/// </summary>
public static class AclRights
{
    /// <summary>Every right: lookup, read, seen, write, insert, post, create, delete mailbox, delete messages, expunge, admin.</summary>
    public const string All = "lrswipkxtea";

    /// <summary>The identifier every account of the mailbox's tenant matches (RFC 4314 §2: "anyone").</summary>
    public const string Anyone = "anyone";

    /// <summary>Reads a rights string of the wire (without a leading "+" or "-"); false if a letter is not a right.</summary>
    public static bool TryParse(string letters, out string rights)
    {
        var set = new HashSet<char>();
        foreach (var letter in letters)
        {
            switch (letter)
            {
                case 'c':
                    set.Add('k');
                    set.Add('x');
                    break;
                case 'd':
                    set.Add('e');
                    set.Add('t');
                    break;
                default:
                    if (!All.Contains(letter))
                    {
                        rights = "";
                        return false;
                    }
                    set.Add(letter);
                    break;
            }
        }
        rights = Canonical(set);
        return true;
    }

    /// <summary>The rights of both.</summary>
    public static string Union(string a, string b) => Canonical(a.Concat(b));

    /// <summary>The rights of <paramref name="a"/> that are not in <paramref name="b"/>.</summary>
    public static string Except(string a, string b) => Canonical(a.Where(r => !b.Contains(r)));

    /// <summary>Whether <paramref name="rights"/> holds <paramref name="right"/>.</summary>
    public static bool Has(string rights, char right) => rights.Contains(right);

    private static string Canonical(IEnumerable<char> letters)
    {
        var set = letters.ToHashSet();
        return string.Concat(All.Where(set.Contains));
    }
}
