using MassTransit;
using Microsoft.Extensions.Options;
using StarGuide.Contracts;
using StarGuide.Scaler.Pools;

namespace StarGuide.Scaler.Messaging;

/// <summary>
/// A desired size from any source (an operator's tool, another service), clamped to the pool's min/max; this scaler's
/// own requests, applied before they were published, are not applied again when they come back
/// (<see cref="ScaleRequestEcho"/>).
/// </summary>
internal sealed partial class ScaleRequestedConsumer(PoolControllers pools, IOptions<ScalerOptions> options, ILogger<ScaleRequestedConsumer> logger)
    : IConsumer<ScaleRequested>
{
    public Task Consume(ConsumeContext<ScaleRequested> context)
    {
        var message = context.Message;
        if (pools.Find(message.Pool) is not { } controller)
        {
            return Task.CompletedTask;
        }
        if (ScaleRequestEcho.IsOwn(context.Headers.Get<string>(ScaleRequestEcho.ScopeHeader), options.Value.Scope))
        {
            LogOwnRequest(logger, message.Pool, message.DesiredInstances, message.RequestedBy, message.RequestId, options.Value.Scope);
            return Task.CompletedTask;
        }
        LogRequest(logger, message.Pool, message.DesiredInstances, message.RequestedBy, message.RequestId);
        return controller.Post(new ScaleTo(message.DesiredInstances, message.Reason, message.RequestedBy)).Applied.Task;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: ScaleRequested {Desired} by {RequestedBy} (request {RequestId}) received: applying it")]
    private static partial void LogRequest(ILogger logger, string pool, int desired, string requestedBy, Guid requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {Pool}: ScaleRequested {Desired} by {RequestedBy} (request {RequestId}) received: "
        + "not applied again, the scaler of scope {Scope} applied it before publishing it")]
    private static partial void LogOwnRequest(ILogger logger, string pool, int desired, string requestedBy, Guid requestId, string scope);
}
