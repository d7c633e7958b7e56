using System.Globalization;
using System.Security.Cryptography;

namespace Mail.Storage.Blobs;

/// <summary>
/// Names of encrypted blobs, "{tenant}/{yyyy}/{MM}/{32 random hex}": random rather than a content hash, so equal
/// content never yields equal names, within or across tenants. A raw store may append "@{locator}" (see
/// <see cref="IRawBlobStore.WriteAsync"/>); the part before it is the logical name the content is encrypted under.
/// </summary>
internal static class BlobName
{
    /// <summary>Separates a logical name from a raw store's locator.</summary>
    public const char LocatorSeparator = '@';

    private const int RandomBytes = 16;

    /// <summary>The logical name of a stored name: everything before the locator, if any.</summary>
    public static string Logical(string storedName)
    {
        var separator = storedName.IndexOf(LocatorSeparator);
        return separator < 0 ? storedName : storedName[..separator];
    }

    /// <summary>A fresh name for a blob of <paramref name="tenantId"/> (already validated) stored at <paramref name="utcNow"/>.</summary>
    public static string Create(string tenantId, DateTime utcNow) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{tenantId}/{utcNow:yyyy}/{utcNow:MM}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(RandomBytes))}");

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> is a name this store gave to a blob of <paramref name="tenantId"/>, so one tenant can never read or delete another's blob.</summary>
    public static void EnsureBelongsTo(string tenantId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = name.Split('/');
        var last = parts.Length == 4 ? parts[3].Split(LocatorSeparator) : [];
        var wellFormed = parts.Length == 4
            && parts[0] == tenantId
            && parts[1].Length == 4 && parts[1].All(char.IsAsciiDigit)
            && parts[2].Length == 2 && parts[2].All(char.IsAsciiDigit)
            && last[0].Length == 2 * RandomBytes && last[0].All(char.IsAsciiHexDigitLower)
            && (last.Length == 1 || last.Length == 2 && PackedBlobLocation.TryParse(last[1], out _));
        if (!wellFormed)
            throw new ArgumentException($"'{name}' is not the name of a blob of tenant '{tenantId}'.", nameof(name));
    }
}
