using System.Collections.Concurrent;
using System.Diagnostics;

namespace StarGuide.IntegrationTests.Healing.Support;

/// <summary>
/// Open-loop load through the gateway for benchmarks: GETs are sent at a rate that may change with time (a step, a
/// square wave) whether or not earlier ones have answered, so that a pool short of capacity shows as latency, not as a
/// lower rate. A request's latency counts from when it was due, not from when it was sent. At most
/// <c>maxInFlight</c> requests are open at once (any more are counted as not sent), so the load stays bounded.
/// </summary>
internal sealed class PacedLoad
{
    private readonly HttpClient _client;
    private readonly Func<TimeSpan, double> _rate;
    private readonly Func<long, string> _path;
    private readonly int _maxInFlight;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<PacedRequest> _done = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentDictionary<string, TimeSpan> _firstAnswer = new();
    private readonly ConcurrentBag<Task> _requests = [];
    private readonly Task _sender;
    private long _notSent;
    private int _inFlight;

    private PacedLoad(HttpClient client, Func<TimeSpan, double> rate, Func<long, string> path, int maxInFlight)
    {
        _client = client;
        _rate = rate;
        _path = path;
        _maxInFlight = maxInFlight;
        _sender = Task.Run(SendAsync);
    }

    /// <param name="rate">Requests per second at a time since the start (0: none).</param>
    public static PacedLoad Start(HttpClient client, Func<TimeSpan, double> rate, Func<long, string> path, int maxInFlight = 200) =>
        new(client, rate, path, maxInFlight);

    /// <summary>Time since the start: the clock of every figure this load records.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public IReadOnlyCollection<PacedRequest> Completed => _done;

    public IReadOnlyCollection<string> Failures => _failures;

    /// <summary>Requests that were due while <c>maxInFlight</c> were open, and so were not sent.</summary>
    public long NotSent => Interlocked.Read(ref _notSent);

    /// <summary>When each instance first answered, on this load's clock.</summary>
    public IReadOnlyDictionary<string, TimeSpan> FirstAnswers => _firstAnswer;

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _sender;
        await Task.WhenAll(_requests);
    }

    /// <summary>The <paramref name="percentile"/> (0..100) of the latencies, nearest rank; null for none.</summary>
    public static TimeSpan? Percentile(IEnumerable<PacedRequest> requests, double percentile)
    {
        var sorted = requests.Select(r => r.Latency).Order().ToList();
        return sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private async Task SendAsync()
    {
        var due = TimeSpan.Zero;
        for (long n = 0; !_stop.IsCancellationRequested; n++)
        {
            var rate = _rate(due);
            if (rate > 0)
            {
                await UntilAsync(due);
                if (_stop.IsCancellationRequested)
                {
                    break;
                }
                if (Volatile.Read(ref _inFlight) >= _maxInFlight)
                {
                    Interlocked.Increment(ref _notSent);
                }
                else
                {
                    Interlocked.Increment(ref _inFlight);
                    var (at, number) = (due, n);
                    _requests.Add(Task.Run(() => OneAsync(at, number)));
                }
            }
            due += rate > 0 ? TimeSpan.FromSeconds(1 / rate) : TimeSpan.FromMilliseconds(100);
        }
    }

    private async Task UntilAsync(TimeSpan due)
    {
        var wait = due - _clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(wait, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }
    }

    private async Task OneAsync(TimeSpan due, long number)
    {
        try
        {
            using var response = await _client.GetAsync(_path(number), CancellationToken.None);
            var now = _clock.Elapsed;
            var instance = response.Headers.TryGetValues("X-Instance-Id", out var values) ? values.Single() : null;
            if (!response.IsSuccessStatusCode)
            {
                _failures.Enqueue($"{now.TotalSeconds:0.00} s: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            else if (instance is not null)
            {
                _firstAnswer.TryAdd(instance, now);
            }
            _done.Enqueue(new PacedRequest(due, now - due, instance, response.IsSuccessStatusCode));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            var now = _clock.Elapsed;
            _failures.Enqueue($"{now.TotalSeconds:0.00} s: {ex.GetType().Name} {ex.Message}");
            _done.Enqueue(new PacedRequest(due, now - due, null, false));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
