using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Mail.Frontends.Http.Pipeline;

/// <summary>
/// A site's static files, read once from this assembly's embedded resources named "&lt;prefix&gt;/&lt;path&gt;" (see the
/// project file), each with its content type and a strong ETag over its bytes. The operator console and the webmail are
/// served this way, so they travel with the code that serves them, whatever the host's content root.
/// </summary>
public sealed class EmbeddedAssets
{
    private readonly Dictionary<string, EmbeddedAsset> _assets;

    private EmbeddedAssets(Dictionary<string, EmbeddedAsset> assets) => _assets = assets;

    /// <summary>Reads every embedded resource under <paramref name="prefix"/>; fails naming the first of <paramref name="required"/> that is missing (a build without its npm step).</summary>
    public static EmbeddedAssets Load(string prefix, IEnumerable<string> required, string missingHint)
    {
        var assembly = typeof(EmbeddedAssets).Assembly;
        var types = new FileExtensionContentTypeProvider();
        var assets = new Dictionary<string, EmbeddedAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            var path = name.Replace('\\', '/');
            if (!path.StartsWith(prefix + "/", StringComparison.Ordinal)) continue;
            var bytes = Read(assembly, name);
            var type = types.TryGetContentType(path, out var known) ? known : "application/octet-stream";
            if (type.StartsWith("text/", StringComparison.Ordinal)) type += "; charset=utf-8";
            assets[path[(prefix.Length + 1)..]] = new EmbeddedAsset(bytes, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}\"");
        }
        foreach (var file in required)
        {
            if (!assets.ContainsKey(file)) throw new InvalidOperationException($"{prefix}/{file} is not embedded in {assembly.GetName().Name}: {missingHint}");
        }
        return new EmbeddedAssets(assets);
    }

    /// <summary>The file at <paramref name="path"/> (empty is index.html), or null.</summary>
    public EmbeddedAsset? Find(string? path) => _assets.GetValueOrDefault(string.IsNullOrEmpty(path) ? "index.html" : path);

    /// <summary>The answer for <paramref name="asset"/>: 304 when the client's ETag matches, else the bytes, with <paramref name="cacheControl"/>.</summary>
    public static IResult Serve(HttpContext context, EmbeddedAsset asset, string cacheControl)
    {
        context.Response.Headers.CacheControl = cacheControl;
        context.Response.Headers.ETag = asset.ETag;
        if (context.Request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Tag.Equals(asset.ETag)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return Results.Bytes(asset.Bytes, asset.ContentType);
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>One embedded static file.</summary>
public sealed record EmbeddedAsset(byte[] Bytes, string ContentType, string ETag);
