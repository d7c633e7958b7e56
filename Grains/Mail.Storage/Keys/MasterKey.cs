namespace Mail.Storage.Keys;

/// <summary>One version of the master key that wraps the tenant keys: its provider's id for the version and its secret bytes.</summary>
public sealed record MasterKey(string Id, byte[] Secret)
{
    /// <summary>Shortest accepted secret: 256 bits.</summary>
    public const int MinSecretBytes = 32;

    /// <summary>
    /// Decodes a base64 secret, or throws <see cref="InvalidOperationException"/> naming <paramref name="source"/> (never the
    /// secret) when it is not base64 or decodes to fewer than <see cref="MinSecretBytes"/> bytes.
    /// </summary>
    public static MasterKey FromBase64(string id, string base64, string source)
    {
        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"Master key version {id} in {source} is not base64.", e);
        }
        if (secret.Length < MinSecretBytes)
        {
            throw new InvalidOperationException(
                $"Master key version {id} in {source} is {secret.Length} bytes; at least {MinSecretBytes} random bytes are required " +
                "(for example: openssl rand -base64 32).");
        }
        return new MasterKey(id, secret);
    }
}
