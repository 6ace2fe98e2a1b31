using StarGuide.Contracts;

namespace StarGuide.ServiceDefaults.Messaging.Publishers;

/// <summary>
/// Every event a service consumes, with the <see cref="PublishersOptions"/> setting that says who may publish it. An
/// event type missing here is refused from everyone: a new event needs a line here before anyone can consume it.
/// </summary>
internal static class EventGroups
{
    private static readonly Dictionary<Type, (string Group, Func<PublishersOptions, string> Users)> Groups = new()
    {
        [typeof(PoolChanged)] = (nameof(PublishersOptions.PoolEvents), o => o.PoolEvents),
        [typeof(InstanceStarted)] = (nameof(PublishersOptions.PoolEvents), o => o.PoolEvents),
        [typeof(InstanceDraining)] = (nameof(PublishersOptions.PoolEvents), o => o.PoolEvents),
        [typeof(InstanceStopped)] = (nameof(PublishersOptions.PoolEvents), o => o.PoolEvents),
        [typeof(ScaleRequested)] = (nameof(PublishersOptions.ScaleRequests), o => o.ScaleRequests),
        [typeof(InstanceUnhealthy)] = (nameof(PublishersOptions.HealthVerdicts), o => o.HealthVerdicts),
        [typeof(InstanceRecovered)] = (nameof(PublishersOptions.HealthVerdicts), o => o.HealthVerdicts),
        [typeof(BackupCompleted)] = (nameof(PublishersOptions.BackupResults), o => o.BackupResults),
        [typeof(BackupFailed)] = (nameof(PublishersOptions.BackupResults), o => o.BackupResults),
        [typeof(BackupRequested)] = (nameof(PublishersOptions.BackupRequests), o => o.BackupRequests),
    };

    /// <summary>The setting (e.g. <c>PoolEvents</c>) and its users for <paramref name="eventType"/>; false for an event nobody may publish.</summary>
    public static bool TryGet(Type eventType, PublishersOptions options, out string group, out string[] users)
    {
        if (Groups.TryGetValue(eventType, out var entry))
        {
            group = entry.Group;
            users = Split(entry.Users(options));
            return true;
        }
        group = "";
        users = [];
        return false;
    }

    public static IEnumerable<(string Group, string Users)> All(PublishersOptions options) =>
        Groups.Values.Select(g => (g.Group, g.Users(options))).Distinct();

    public static string[] Split(string users) =>
        users.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
