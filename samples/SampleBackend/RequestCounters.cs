namespace StarGuide.SampleBackend;

/// <summary>Requests received and in flight on this instance, for <c>/api/metrics</c>.</summary>
internal sealed class RequestCounters
{
    private long _total;
    private long _inFlight;

    public long Total => Interlocked.Read(ref _total);

    public long InFlight => Interlocked.Read(ref _inFlight);

    public void RequestStarted()
    {
        Interlocked.Increment(ref _total);
        Interlocked.Increment(ref _inFlight);
    }

    public void RequestFinished() => Interlocked.Decrement(ref _inFlight);
}

/// <summary>Feeds <see cref="RequestCounters"/>: a request is in flight until the rest of the pipeline is done.</summary>
internal sealed class RequestCountingMiddleware(RequestDelegate next, RequestCounters counters)
{
    public async Task InvokeAsync(HttpContext context)
    {
        counters.RequestStarted();
        try
        {
            await next(context);
        }
        finally
        {
            counters.RequestFinished();
        }
    }
}
