using System.Text.Json;
using Orleans.Storage;

namespace Mail.Grains.Storage;

/// <summary>
/// Grain state as plain System.Text.Json documents, without .NET type names, so renaming or moving a
/// state class does not orphan the rows already stored.
/// </summary>
public sealed class JsonGrainStateSerializer : IGrainStorageSerializer
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <inheritdoc />
    public BinaryData Serialize<T>(T? input) => BinaryData.FromObjectAsJson(input, Options);

    /// <inheritdoc />
    public T Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>(Options)!;
}
