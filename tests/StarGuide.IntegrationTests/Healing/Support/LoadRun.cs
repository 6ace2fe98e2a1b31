using System.Collections.Concurrent;
using System.Diagnostics;

namespace StarGuide.IntegrationTests.Healing.Support;

/// <summary>
/// Bounded load through the gateway: a few workers sending GETs back to back, recording every failure and, per
/// instance, when it last answered. Stop it to get the figures.
/// </summary>
internal sealed class LoadRun
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentDictionary<string, TimeSpan> _lastAnswer = new();
    private readonly ConcurrentDictionary<string, TimeSpan> _firstAnswer = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task[] _workers;
    private long _requests;
    private long _slowest;

    private readonly TimeSpan _pause;

    private LoadRun(HttpClient client, int workers, Func<int, string> path, TimeSpan pause)
    {
        _pause = pause;
        _workers = [.. Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkAsync(client, path, w)))];
    }

    /// <param name="pause">Each worker's wait between two requests (zero: back to back).</param>
    public static LoadRun Start(HttpClient client, int workers = 4, Func<int, string>? path = null, TimeSpan pause = default) =>
        new(client, workers, path ?? (_ => "/api/hello"), pause);

    public TimeSpan Elapsed => _clock.Elapsed;

    public long Requests => Interlocked.Read(ref _requests);

    public IReadOnlyCollection<string> Failures => _failures;

    public TimeSpan Slowest => TimeSpan.FromTicks(Interlocked.Read(ref _slowest));

    /// <summary>When (on this run's clock) <paramref name="instanceId"/> last answered; null if never.</summary>
    public TimeSpan? LastAnswerOf(string instanceId) => _lastAnswer.TryGetValue(instanceId, out var at) ? at : null;

    /// <summary>When (on this run's clock) <paramref name="instanceId"/> first answered; null if never.</summary>
    public TimeSpan? FirstAnswerOf(string instanceId) => _firstAnswer.TryGetValue(instanceId, out var at) ? at : null;

    public async Task StopAsync()
    {
        _stop.Cancel();
        await Task.WhenAll(_workers);
    }

    private async Task WorkAsync(HttpClient client, Func<int, string> path, int worker)
    {
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var started = _clock.Elapsed;
            try
            {
                using var response = await client.GetAsync(path(worker * 1_000_000 + i), CancellationToken.None);
                var now = _clock.Elapsed;
                Interlocked.Increment(ref _requests);
                var took = (now - started).Ticks;
                if (took > Interlocked.Read(ref _slowest))
                {
                    Interlocked.Exchange(ref _slowest, took);
                }
                if (!response.IsSuccessStatusCode)
                {
                    _failures.Enqueue($"{now.TotalSeconds:0.00} s: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                else if (response.Headers.TryGetValues("X-Instance-Id", out var values))
                {
                    var instance = values.Single();
                    _lastAnswer[instance] = now;
                    _firstAnswer.TryAdd(instance, now);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                _failures.Enqueue($"{_clock.Elapsed.TotalSeconds:0.00} s: {ex.GetType().Name} {ex.Message}");
            }
            if (_pause > TimeSpan.Zero)
            {
                await Task.Delay(_pause, CancellationToken.None);
            }
        }
    }
}
