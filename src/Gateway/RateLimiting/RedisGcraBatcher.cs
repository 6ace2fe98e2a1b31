using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace StarGuide.Gateway.RateLimiting;

/// <summary>
/// Shares Redis round trips between concurrent requests: while one script call is on its way, the requests that
/// arrive queue up and all go in the next call. At rest every request has a call of its own (no added wait); under load
/// one round trip decides many, which is what keeps the shared limiter's cost per request small (docs/measurements.md).
/// Each request is still decided atomically by the script, in arrival order, on Redis's clock; only the trip is shared.
/// A call that fails or exceeds <see cref="RateLimitingOptions.RedisTimeout"/> fails its requests and those queued
/// behind it at once, so that none waits longer than one timeout; <see cref="ClientRateLimiter"/> then decides them in
/// process. A request that came with its <see cref="RateLimitLease"/> is settled against it here, in batch order and
/// before any request of the batch resumes, so that a refusal can still spend a token an earlier answer brought.
/// </summary>
internal sealed class RedisGcraBatcher : IDisposable
{
    /// <summary>Requests per script call at most: bounds the time Redis spends in one script.</summary>
    internal const int MaxBatch = 256;

    private readonly RedisGcraStore _store;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;
    private readonly long _ticksPerSecond;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    public RedisGcraBatcher(RedisGcraStore store, IOptions<RateLimitingOptions> options, TimeProvider timeProvider)
    {
        _store = store;
        _timeout = options.Value.RedisTimeout;
        _timeProvider = timeProvider;
        _ticksPerSecond = timeProvider.TimestampFrequency;
        _ = Task.Run(SendAsync);
    }

    public Task<RateLimitDecision> EvaluateAsync(GcraRequest request) => EvaluateAsync(request, null, asking: false);

    /// <param name="request">The request; its <see cref="GcraRequest.Tokens"/> are a lease's size.</param>
    /// <param name="lease">Where granted tokens beyond the first are kept, and refusals remembered.</param>
    /// <param name="asking">Whether this is the lease's one request in flight for more than a token.</param>
    public Task<RateLimitDecision> EvaluateAsync(GcraRequest request, RateLimitLease? lease, bool asking) =>
        Enqueue(new Pending(request, lease, asking, refill: false));

    /// <summary>
    /// Asks for a lease's next tokens on behalf of no request (<see cref="LeaseDecision.Refill"/>); the answer is kept
    /// by <see cref="RateLimitLease.SettleRefill"/>. The task fails as <see cref="EvaluateAsync(GcraRequest)"/>'s does.
    /// </summary>
    public Task RefillAsync(GcraRequest request, RateLimitLease lease) => Enqueue(new Pending(request, lease, asking: true, refill: true));

    private Task<RateLimitDecision> Enqueue(Pending pending)
    {
        if (!_queue.Writer.TryWrite(pending))
        {
            pending.SetException(new ObjectDisposedException(nameof(RedisGcraBatcher)));
        }
        return pending.Task;
    }

    public bool IsConnected => _store.IsConnected;

    public void Dispose() => _queue.Writer.TryComplete();

    private async Task SendAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        var requests = new List<GcraRequest>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
                requests.Add(pending.Request);
            }
            var sentAt = _timeProvider.GetTimestamp();
            try
            {
                var grants = await _store.EvaluateAsync(requests).WaitAsync(_timeout, _timeProvider);
                var now = _timeProvider.GetTimestamp();
                var decisions = new RateLimitDecision[batch.Count];
                for (var i = 0; i < batch.Count; i++)
                {
                    var (lease, asking) = (batch[i].Lease, batch[i].Asking);
                    if (lease is not null && batch[i].Refill)
                    {
                        lease.SettleRefill(grants[i], sentAt, _ticksPerSecond);
                        continue;
                    }
                    decisions[i] = lease is null
                        ? new RateLimitDecision(grants[i].Allowed, grants[i].RetryAfterMs)
                        : lease.Settle(grants[i], asking, sentAt, now, _ticksPerSecond);
                }
                // Only now: a continuation could otherwise run (and refuse) before a later lease of the batch is kept.
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].TrySetResult(decisions[i]);
                }
            }
            catch (Exception ex)
            {
                // TrySet: a failure after some results were handed out must not stop this loop.
                batch.ForEach(p => p.TrySetException(ex));
                while (_queue.Reader.TryRead(out var queued))
                {
                    queued.TrySetException(ex);
                }
            }
            batch.Clear();
            requests.Clear();
        }
    }

    // Continuations run on the thread pool: run inline they would carry each request's whole pipeline on this loop.
    private sealed class Pending(GcraRequest request, RateLimitLease? lease, bool asking, bool refill)
        : TaskCompletionSource<RateLimitDecision>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public GcraRequest Request { get; } = request;

        public RateLimitLease? Lease { get; } = lease;

        public bool Asking { get; } = asking;

        public bool Refill { get; } = refill;
    }
}
