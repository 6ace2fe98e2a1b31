namespace StarGuide.SampleBackend;

/// <summary>
/// <c>?burnMs=N</c> on any request keeps one core busy for N ms (0..60000) before the endpoint answers, to load the
/// instance in scaling demos. A wrong value is a 400 naming the parameter.
/// </summary>
internal sealed class CpuBurnMiddleware(RequestDelegate next, TimeProvider time)
{
    public const string QueryParameter = "burnMs";
    public const int MaxBurnMs = 60_000;

    public async Task InvokeAsync(HttpContext context)
    {
        var burn = QueryMilliseconds.Read(context.Request.Query, QueryParameter, MaxBurnMs);
        if (burn.Error is not null)
        {
            await Problems.BadRequest(burn.Error).ExecuteAsync(context);
            return;
        }

        if (burn.Value is > 0 and var milliseconds)
        {
            Burn(TimeSpan.FromMilliseconds(milliseconds), context.RequestAborted);
            if (context.RequestAborted.IsCancellationRequested)
            {
                return; // The client is gone: nobody to answer.
            }
        }

        await next(context);
    }

    /// <summary>A busy loop on purpose: the point is to use CPU, not to wait.</summary>
    private void Burn(TimeSpan duration, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (time.GetElapsedTime(started) < duration && !cancellationToken.IsCancellationRequested)
        {
            Thread.SpinWait(1_000);
        }
    }
}
