using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace StarGuide.ServiceDefaults.Messaging.Publishers;

/// <summary>
/// Events this service would not apply: from a publisher it does not trust, or saying what no publisher may say (an
/// address outside the pool's networks, a pool version from the future). Such an event is acknowledged without reaching
/// its consumer (retrying it or parking it in <c>_error</c> would change nothing about it), counted in
/// <c>starguide_events_refused_total{event,reason}</c>, and logged once per event, reason and broker user, so that a
/// flood of forged events does not flood the log.
/// </summary>
internal sealed partial class RefusedEvents
{
    public const string MeterName = "StarGuide.Messaging";

    /// <summary>Distinct (event, reason, user) kinds logged at most; beyond them refusals are only counted.</summary>
    private const int LoggedKindsLimit = 1000;

    private readonly Counter<long> _refused;
    private readonly ConcurrentDictionary<(string Event, string Reason, string User), byte> _logged = new();
    private readonly ILogger<RefusedEvents> _logger;

    public RefusedEvents(IMeterFactory meterFactory, ILogger<RefusedEvents> logger)
    {
        _logger = logger;
        _refused = meterFactory.Create(MeterName).CreateCounter<long>("starguide.events.refused", "{event}",
            "Events not applied, by event and reason: publisher (a broker user not trusted for it), no-user-id, address, version");
    }

    /// <summary>The AMQP <c>user_id</c> of the message: the broker user whose connection published it, or null if it carries none.</summary>
    public static string? PublisherOf(ConsumeContext context) =>
        context.ReceiveContext.TryGetPayload(out RabbitMqBasicConsumeContext? rabbit) ? rabbit.Properties.UserId : null;

    /// <summary>Counts and logs the refusal, then marks the message consumed so that it is acknowledged and goes nowhere.</summary>
    public Task RefuseAsync<T>(ConsumeContext<T> context, string reason, string why)
        where T : class
    {
        var eventName = typeof(T).Name;
        var user = PublisherOf(context) ?? "(none)";
        _refused.Add(1, new KeyValuePair<string, object?>("event", eventName), new KeyValuePair<string, object?>("reason", reason));
        if (_logged.Count < LoggedKindsLimit && _logged.TryAdd((eventName, reason, user), 0))
        {
            LogRefused(_logger, eventName, user, reason, why);
        }
        // Without this MassTransit would move the message to the queue's _skipped queue (no consumer took it).
        return context.NotifyConsumed(context, context.ReceiveContext.ElapsedTime, "refused");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Event} from broker user {User} ({Reason}): {Why}. It is dropped; "
        + "more of these are only counted in starguide_events_refused_total")]
    private static partial void LogRefused(ILogger logger, string @event, string user, string reason, string why);
}
