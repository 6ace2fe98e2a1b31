using System.Globalization;

namespace StarGuide.ServiceDefaults.LoadReports;

/// <summary>
/// How every gateway replica reports each instance's load to Redis for the scaler's autoscaling, written by the gateway
/// (<c>LoadReport/LoadReporter</c>) and read by the scaler (<c>Autoscaling/GatewayLoadReader</c>), kept here once: one
/// hash per replica under <c>&lt;prefix&gt;:gateway-load:&lt;replica&gt;</c> (expiring when the replica stops reporting),
/// field <c>pool/instance</c>, value <c>in-flight requests-sent unix-ms</c>. The prefix is each side's setting
/// (<c>Gateway:LoadReport:KeyPrefix</c>, <c>Scaler:GatewayLoadKeyPrefix</c>; two processes, two configurations) with one
/// default, and the deployments set both from one value.
/// </summary>
public static class GatewayLoadReport
{
    public const string DefaultKeyPrefix = "starguide";

    /// <summary>The hash one replica writes its report to.</summary>
    public static string Key(string prefix, string replica) => $"{prefix}:gateway-load:{replica}";

    /// <summary>The pattern every replica's hash matches.</summary>
    public static string KeyPattern(string prefix) => $"{prefix}:gateway-load:*";

    public static string Field(string pool, string instance) => $"{pool}/{instance}";

    /// <summary>The instance a field names when it is one of <paramref name="pool"/>'s, else null.</summary>
    public static string? InstanceOf(string field, string pool) =>
        field.Length > pool.Length + 1 && field.StartsWith(pool + "/", StringComparison.OrdinalIgnoreCase) ? field[(pool.Length + 1)..] : null;

    public static string Value(long inFlight, long sent, DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"{inFlight} {sent} {at.ToUnixTimeMilliseconds()}");

    public static bool TryParse(string value, out long inFlight, out long sent, out long atUnixMilliseconds)
    {
        var parts = value.Split(' ');
        inFlight = sent = atUnixMilliseconds = 0;
        return parts.Length == 3
            && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out inFlight)
            && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out sent)
            && long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out atUnixMilliseconds);
    }
}
