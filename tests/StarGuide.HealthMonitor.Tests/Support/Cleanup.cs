namespace StarGuide.HealthMonitor.Tests.Support;

/// <summary>What a test started, stopped in reverse order; one that fails to stop does not keep the others running.</summary>
internal sealed class Cleanup : IAsyncDisposable
{
    private readonly Stack<IAsyncDisposable> _started = new();

    public T Add<T>(T started)
        where T : IAsyncDisposable
    {
        _started.Push(started);
        return started;
    }

    public async ValueTask DisposeAsync()
    {
        var failures = new List<Exception>();
        while (_started.TryPop(out var started))
        {
            try
            {
                await started.DisposeAsync();
            }
            catch (Exception ex)
            {
                failures.Add(ex);
            }
        }
        if (failures.Count > 0)
        {
            throw new AggregateException("Stopping what the test started failed", failures);
        }
    }
}
