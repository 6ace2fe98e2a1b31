using System.Globalization;
using System.Runtime.CompilerServices;
using StarGuide.ServiceDefaults.Pools;
using Yarp.ReverseProxy.Model;

namespace StarGuide.Gateway.LoadBalancing;

/// <summary>
/// The nginx <c>server</c> parameters that YARP's <c>DestinationConfig</c> has no field for (<c>weight</c>,
/// <c>backup</c>), carried in its metadata.
/// </summary>
internal static class DestinationMetadata
{
    public const string WeightKey = "StarGuide.Weight";
    public const string BackupKey = "StarGuide.Backup";

    // Keyed by the immutable DestinationModel, which YARP replaces when the destination's config changes, so that a
    // changed weight is read again; the hot path then parses nothing and allocates nothing.
    private static readonly ConditionalWeakTable<DestinationModel, StrongBox<int>> Weights = new();

    public static IReadOnlyDictionary<string, string> From(InstanceOptions instance) => new Dictionary<string, string>
    {
        [WeightKey] = instance.Weight.ToString(CultureInfo.InvariantCulture),
        [BackupKey] = instance.Backup ? "true" : "false",
    };

    /// <summary>The destination's weight; 1 when it has none (or no model, as in some tests).</summary>
    public static int WeightOf(DestinationState destination) =>
        destination.Model is { } model ? Weights.GetValue(model, static m => new StrongBox<int>(ParseWeight(m))).Value : 1;

    public static bool IsBackup(DestinationState destination) =>
        destination.Model?.Config.Metadata is { } metadata
        && metadata.TryGetValue(BackupKey, out var value)
        && bool.TryParse(value, out var backup)
        && backup;

    private static int ParseWeight(DestinationModel model) =>
        model.Config.Metadata is { } metadata
        && metadata.TryGetValue(WeightKey, out var value)
        && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var weight)
        && weight > 0
            ? weight
            : 1;
}
