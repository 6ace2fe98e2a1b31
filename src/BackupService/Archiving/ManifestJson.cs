using System.Text.Json;
using System.Text.Json.Serialization;

namespace StarGuide.BackupService.Archiving;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(BackupManifest))]
internal sealed partial class ManifestJson : JsonSerializerContext
{
    public static async Task WriteAsync(BackupManifest manifest, Stream stream, CancellationToken cancellationToken) =>
        await JsonSerializer.SerializeAsync(stream, manifest, Default.BackupManifest, cancellationToken);

    /// <summary>Reads a manifest; a file that is not one gives an <see cref="InvalidDataException"/> naming it.</summary>
    public static async Task<BackupManifest> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        try
        {
            return await JsonSerializer.DeserializeAsync(stream, Default.BackupManifest, cancellationToken)
                ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a valid manifest: {ex.Message}", ex);
        }
    }
}
