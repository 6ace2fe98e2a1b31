using System.Collections.Concurrent;
using System.Diagnostics;

namespace StarGuide.IntegrationTests.Healing.Support;

/// <summary>
/// Bounded load through the gateway: a few workers sending requests (GETs unless told otherwise) back to back,
/// recording every failure and, per instance, when it first and last answered; on request every answer. Stop it to get
/// the figures.
/// </summary>
internal sealed class LoadRun
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentQueue<TimeSpan> _failedSent = new();
    private readonly ConcurrentDictionary<string, TimeSpan> _lastAnswer = new();
    private readonly ConcurrentDictionary<string, TimeSpan> _firstAnswer = new();
    private readonly ConcurrentQueue<LoadAnswer>? _answers;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task[] _workers;
    private long _requests;
    private long _slowest;

    private readonly TimeSpan _pause;
    private readonly HttpMethod _method;

    private LoadRun(HttpClient client, int workers, Func<int, string> path, TimeSpan pause, HttpMethod method, bool recordAnswers)
    {
        _pause = pause;
        _method = method;
        _answers = recordAnswers ? new() : null;
        _workers = [.. Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkAsync(client, path, w)))];
    }

    /// <param name="pause">Each worker's wait between two requests (zero: back to back).</param>
    /// <param name="method">GET by default; a POST that reached an instance is never sent again by the gateway.</param>
    /// <param name="recordAnswers">Keep every successful answer (<see cref="Answers"/>), not only the first and last per instance.</param>
    public static LoadRun Start(HttpClient client, int workers = 4, Func<int, string>? path = null, TimeSpan pause = default,
        HttpMethod? method = null, bool recordAnswers = false) =>
        new(client, workers, path ?? (_ => "/api/hello"), pause, method ?? HttpMethod.Get, recordAnswers);

    public TimeSpan Elapsed => _clock.Elapsed;

    public long Requests => Interlocked.Read(ref _requests);

    public IReadOnlyCollection<string> Failures => _failures;

    public TimeSpan Slowest => TimeSpan.FromTicks(Interlocked.Read(ref _slowest));

    /// <summary>When (on this run's clock) <paramref name="instanceId"/> last answered; null if never.</summary>
    public TimeSpan? LastAnswerOf(string instanceId) => _lastAnswer.TryGetValue(instanceId, out var at) ? at : null;

    /// <summary>When (on this run's clock) <paramref name="instanceId"/> first answered; null if never.</summary>
    public TimeSpan? FirstAnswerOf(string instanceId) => _firstAnswer.TryGetValue(instanceId, out var at) ? at : null;

    /// <summary>Failed requests that were sent at or after <paramref name="from"/> and before <paramref name="to"/> (this run's clock).</summary>
    public int FailuresSentBetween(TimeSpan from, TimeSpan to) => _failedSent.Count(t => t >= from && t < to);

    /// <summary>Every successful answer, when the run was started with <c>recordAnswers</c>; empty otherwise.</summary>
    public IReadOnlyCollection<LoadAnswer> Answers => _answers ?? (IReadOnlyCollection<LoadAnswer>)[];

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
                using var request = new HttpRequestMessage(_method, path(worker * 1_000_000 + i));
                using var response = await client.SendAsync(request, CancellationToken.None);
                var now = _clock.Elapsed;
                Interlocked.Increment(ref _requests);
                var took = (now - started).Ticks;
                if (took > Interlocked.Read(ref _slowest))
                {
                    Interlocked.Exchange(ref _slowest, took);
                }
                if (!response.IsSuccessStatusCode)
                {
                    _failedSent.Enqueue(started);
                    _failures.Enqueue($"{now.TotalSeconds:0.00} s: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                else if (response.Headers.TryGetValues("X-Instance-Id", out var values))
                {
                    var instance = values.Single();
                    _lastAnswer[instance] = now;
                    _firstAnswer.TryAdd(instance, now);
                    _answers?.Enqueue(new LoadAnswer(started, now, instance));
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                _failedSent.Enqueue(started);
                _failures.Enqueue($"{_clock.Elapsed.TotalSeconds:0.00} s: {ex.GetType().Name} {ex.Message}");
            }
            if (_pause > TimeSpan.Zero)
            {
                await Task.Delay(_pause, CancellationToken.None);
            }
        }
    }
}
