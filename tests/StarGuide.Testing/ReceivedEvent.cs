using System.Globalization;
using System.Text.Json;

namespace StarGuide.Testing;

/// <summary>One event read off the broker: its contract's name (e.g. <c>InstanceStopped</c>) and its JSON body (camelCase).</summary>
public sealed record ReceivedEvent(string Type, JsonElement Message)
{
    /// <summary>A string property of the body, e.g. <c>instanceId</c>; null when absent.</summary>
    public string? Text(string property) =>
        Message.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A number property of the body, e.g. <c>poolVersion</c>; null when absent.</summary>
    public long? Number(string property) =>
        Message.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    /// <summary>A time property of the body, e.g. <c>detectedAt</c>; null when absent.</summary>
    public DateTimeOffset? Time(string property) =>
        Message.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture)
            : null;

    /// <summary>"InstanceStopped backend-1 v17", for failure messages.</summary>
    public string Describe()
    {
        var version = Number("poolVersion") ?? Number("version");
        var subject = Text("instanceId") ?? Text("backupId");
        return string.Join(' ', new[] { Type, subject, version is null ? null : $"v{version}" }.Where(p => p is not null));
    }
}
