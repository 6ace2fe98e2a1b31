namespace StarGuide.Testing;

/// <summary>Waits for a condition that becomes true by itself (an event consumed, a process up), bounded in time.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="failure"/> after <paramref name="within"/>.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan within, string failure) =>
        TrueAsync(condition, within, () => failure);

    /// <summary>As above, for a condition that needs no waiting to check.</summary>
    public static Task TrueAsync(Func<bool> condition, TimeSpan within, string failure) =>
        TrueAsync(() => Task.FromResult(condition()), within, () => failure);

    /// <summary>As above, with a failure message made when the time is up.</summary>
    public static Task TrueAsync(Func<bool> condition, TimeSpan within, Func<string> failure) =>
        TrueAsync(() => Task.FromResult(condition()), within, failure);

    /// <summary>As above, with a failure message made when the time is up (e.g. quoting a process's latest output).</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan within, Func<string> failure)
    {
        using var timeout = new CancellationTokenSource(within);
        while (true)
        {
            try
            {
                if (await condition().ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not answering yet counts as "not yet".
            }
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"{failure()} within {within.TotalSeconds:0.#} s");
            }
            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
