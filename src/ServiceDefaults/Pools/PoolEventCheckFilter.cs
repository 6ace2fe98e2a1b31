using MassTransit;
using Microsoft.Extensions.Options;
using StarGuide.Contracts;
using StarGuide.ServiceDefaults.Messaging.Publishers;

namespace StarGuide.ServiceDefaults.Pools;

/// <summary>
/// What a pool event may say, even from the scaler: its instances are where the pool's <c>AllowedNetworks</c> and
/// <c>AllowedPorts</c> admit (the gateway routes public traffic to them, the monitor probes them), and its pool version is
/// not beyond this service's clock plus <c>MessageBus:MaxPoolVersionAhead</c> (such a version would freeze the pool: every
/// later, real change has a lower version and is ignored). Anything else is refused as a whole, counted and logged (see
/// <see cref="RefusedEvents"/>); the pool keeps its view and the next good event or snapshot applies.
/// </summary>
internal sealed class PoolEventCheckFilter<T>(
    IOptionsMonitor<PoolsOptions> pools, IOptionsMonitor<MessageBusOptions> bus, TimeProvider time, RefusedEvents refused)
    : IFilter<ConsumeContext<T>>
    where T : class
{
    public void Probe(ProbeContext context) => context.CreateFilterScope("poolEventCheck");

    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        (string Pool, long Version, IEnumerable<Uri?> Addresses)? facts = context.Message switch
        {
            PoolChanged snapshot => (snapshot.Pool, snapshot.Version, snapshot.Members?.Select(m => m?.Address) ?? []),
            InstanceStarted started => (started.Pool, started.PoolVersion, [started.Address]),
            InstanceDraining draining => (draining.Pool, draining.PoolVersion, []),
            InstanceStopped stopped => (stopped.Pool, stopped.PoolVersion, []),
            _ => null,
        };
        if (facts is not var (pool, version, addresses))
        {
            await next.Send(context).ConfigureAwait(false);
            return;
        }

        var ahead = bus.CurrentValue.MaxPoolVersionAhead;
        var limit = time.GetUtcNow().Add(ahead).ToUnixTimeMilliseconds();
        if (version > limit)
        {
            await refused.RefuseAsync(context, "version",
                $"pool {pool} at version {version} is beyond this service's clock plus {ahead} (version {limit}; "
                + $"{MessageBusOptions.SectionName}:{nameof(MessageBusOptions.MaxPoolVersionAhead)})").ConfigureAwait(false);
            return;
        }

        pools.CurrentValue.TryGetValue(pool ?? "", out var options);
        var rule = UpstreamAddressRule.For(options);
        foreach (var address in addresses)
        {
            if (address is not null && await rule.CheckAsync(address, context.CancellationToken).ConfigureAwait(false) is { } why)
            {
                await refused.RefuseAsync(context, "address",
                    $"pool {pool}: instance address {address} {why} ({PoolsOptions.SectionName}:{pool}:AllowedNetworks, AllowedPorts)").ConfigureAwait(false);
                return;
            }
        }
        await next.Send(context).ConfigureAwait(false);
    }
}
