using System.Text;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Mail.Grains.Storage;

/// <summary>The key columns of one grain state's row in orleans_storage.</summary>
public readonly record struct GrainStateKey(int GrainIdHash, int GrainTypeHash, string GrainType, long N0, long N1, string? Extension);

/// <summary>
/// Writes grain state rows in bulk, beside Orleans' ADO.NET storage provider (Microsoft.Orleans.Persistence.AdoNet
/// 10.4.2): the key columns are computed as the provider computes them (AdoNetGrainStorage.GrainIdAndExtensionAsString,
/// AdoGrainKey.GetHashBytes and the default OrleansDefaultHasher, which is StableHash), and payloads are serialized by the
/// same <see cref="JsonGrainStateSerializer"/>, so a grain activated later reads the row as if it had written it.
/// GrainStateRowsTests checks that against the provider.
/// </summary>
public sealed class GrainStateRows(IOptions<ClusterOptions> cluster)
{
    private static readonly JsonGrainStateSerializer Serializer = new();

    /// <summary>The cluster's service id: the service_id column.</summary>
    public string ServiceId => cluster.Value.ServiceId;

    /// <summary>The key of the state named <paramref name="stateName"/> (the [PersistentState] name) of the grain keyed <paramref name="key"/>.</summary>
    public static GrainStateKey KeyOf(string stateName, string key)
    {
        // Any grain type parses its key the same way; the provider looks only at the key.
        var id = GrainId.Create("state", key);
        long n0 = 0, n1 = 0;
        string? extension;
        byte[]? bytes;
        if (id.TryGetGuidKey(out var guid, out extension))
        {
            var guidBytes = guid.ToByteArray();
            (n0, n1) = (BitConverter.ToInt64(guidBytes, 0), BitConverter.ToInt64(guidBytes, 8));
            bytes = guidBytes;
        }
        else if (id.TryGetIntegerKey(out var integer, out extension))
        {
            n1 = integer;
            bytes = BitConverter.GetBytes(integer);
        }
        else
        {
            extension = key;
            bytes = null;
        }
        bytes = bytes is null ? Encoding.UTF8.GetBytes(extension!) : extension is null ? bytes : [.. bytes, .. Encoding.UTF8.GetBytes(extension)];
        if (BitConverter.IsLittleEndian) Array.Reverse(bytes);
        return new GrainStateKey((int)StableHash.ComputeHash(bytes), (int)StableHash.ComputeHash(Encoding.UTF8.GetBytes(stateName)), stateName, n0, n1, extension);
    }

    /// <summary>A state document as the provider stores it (payload_binary).</summary>
    public static byte[] Payload<T>(T state) => Serializer.Serialize(state).ToArray();
}
