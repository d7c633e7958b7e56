using System.Globalization;
using System.Security.Cryptography;

namespace Mail.Storage.Blobs;

/// <summary>Names of encrypted blobs, "{tenant}/{yyyy}/{MM}/{32 random hex}": random rather than a content hash, so equal content never yields equal names, within or across tenants.</summary>
internal static class BlobName
{
    private const int RandomBytes = 16;

    /// <summary>A fresh name for a blob of <paramref name="tenantId"/> (already validated) stored at <paramref name="utcNow"/>.</summary>
    public static string Create(string tenantId, DateTime utcNow) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{tenantId}/{utcNow:yyyy}/{utcNow:MM}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(RandomBytes))}");

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> is a name this store gave to a blob of <paramref name="tenantId"/>, so one tenant can never read or delete another's blob.</summary>
    public static void EnsureBelongsTo(string tenantId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = name.Split('/');
        var wellFormed = parts.Length == 4
            && parts[0] == tenantId
            && parts[1].Length == 4 && parts[1].All(char.IsAsciiDigit)
            && parts[2].Length == 2 && parts[2].All(char.IsAsciiDigit)
            && parts[3].Length == 2 * RandomBytes && parts[3].All(char.IsAsciiHexDigitLower);
        if (!wellFormed)
            throw new ArgumentException($"'{name}' is not the name of a blob of tenant '{tenantId}'.", nameof(name));
    }
}
