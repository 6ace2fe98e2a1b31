using System.Globalization;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;

namespace StarGuide.Scaler.Drivers.Docker;

/// <summary>
/// Follows the engine's <c>die</c> events for one pool's containers. The stream is reopened after any interruption (engine
/// restarted, socket gone) from the time of the last event seen, so that deaths in between are still reported once the
/// engine replays them; the controller's polling of <c>ListAsync</c> covers what the engine forgot.
/// </summary>
internal sealed class DockerExitWatcher(
    DockerEngine engine, Dictionary<string, bool> labelFilter, string pool, TimeProvider time, ILogger logger, Action<Message> died)
    : IAsyncDisposable
{
    private static readonly TimeSpan _maxDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan _healthyStream = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private long _lastEventNanos;

    public void Start()
    {
        if (_loop is null && !_stopping.IsCancellationRequested)
        {
            _lastEventNanos = time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000;
            _loop = Task.Run(() => RunAsync(_stopping.Token));
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        var progress = new SyncProgress(OnEvent);
        while (!cancellationToken.IsCancellationRequested)
        {
            var openedAt = time.GetTimestamp();
            string error;
            try
            {
                await engine.Client.System.MonitorEventsAsync(Parameters(), progress, cancellationToken).ConfigureAwait(false);
                error = "the stream ended";
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                error = ex.GetBaseException().Message;
            }

            delay = time.GetElapsedTime(openedAt) > _healthyStream ? TimeSpan.FromSeconds(1) : delay;
            DockerDriverLog.EventsLost(logger, pool, engine.Endpoint, error, delay);
            try
            {
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _maxDelay.Ticks));
        }
    }

    private ContainerEventsParameters Parameters()
    {
        var since = Interlocked.Read(ref _lastEventNanos);
        return new ContainerEventsParameters
        {
            Since = string.Create(CultureInfo.InvariantCulture, $"{since / 1_000_000_000}.{since % 1_000_000_000:D9}"),
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["type"] = new Dictionary<string, bool> { ["container"] = true },
                ["event"] = new Dictionary<string, bool> { ["die"] = true },
                ["label"] = labelFilter,
            },
        };
    }

    private void OnEvent(Message message)
    {
        // "since" is inclusive, so a reopened stream repeats the last event: report each one once.
        if (message.TimeNano <= Interlocked.Read(ref _lastEventNanos))
        {
            return;
        }

        Interlocked.Exchange(ref _lastEventNanos, message.TimeNano);
        died(message);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>Reports on the stream's own thread, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class SyncProgress(Action<Message> report) : IProgress<Message>
    {
        public void Report(Message value) => report(value);
    }
}
