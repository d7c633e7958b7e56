using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;

namespace Mail.Frontends.Http.OpsConsole;

/// <summary>
/// The console's static files, read once from this assembly's embedded resources named "ops/&lt;path&gt;" (see the project
/// file), each with its content type and a strong ETag over its bytes.
/// </summary>
public sealed class OpsConsoleAssets
{
    private const string Prefix = "ops/";

    private readonly Dictionary<string, OpsAsset> _assets;

    private OpsConsoleAssets(Dictionary<string, OpsAsset> assets) => _assets = assets;

    /// <summary>Reads every embedded "ops/" resource; fails when Chart.js or the page is missing, as a build without npm ci would leave it.</summary>
    public static OpsConsoleAssets Load()
    {
        var assembly = typeof(OpsConsoleAssets).Assembly;
        var types = new FileExtensionContentTypeProvider();
        var assets = new Dictionary<string, OpsAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            var path = name.Replace('\\', '/');
            if (!path.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            var bytes = Read(assembly, name);
            var type = types.TryGetContentType(path, out var known) ? known : "application/octet-stream";
            if (type.StartsWith("text/", StringComparison.Ordinal)) type += "; charset=utf-8";
            assets[path[Prefix.Length..]] = new OpsAsset(bytes, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}\"");
        }
        foreach (var required in new[] { "index.html", "vendor/chart.umd.js" })
        {
            if (!assets.ContainsKey(required)) throw new InvalidOperationException($"The operator console's {required} is not embedded in {assembly.GetName().Name}.");
        }
        return new OpsConsoleAssets(assets);
    }

    /// <summary>The file at <paramref name="path"/> (relative to /ops/; empty is the page), or null.</summary>
    public OpsAsset? Find(string? path) => _assets.GetValueOrDefault(string.IsNullOrEmpty(path) ? "index.html" : path);

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>One static file of the console.</summary>
public sealed record OpsAsset(byte[] Bytes, string ContentType, string ETag);
