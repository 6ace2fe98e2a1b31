namespace StarGuide.IntegrationTests.Support;

internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="failure"/> after <paramref name="within"/>.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan within, string failure) =>
        TrueAsync(condition, within, () => failure);

    /// <summary>As above, with a failure message made when the time is up (e.g. quoting a process's latest output).</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan within, Func<string> failure)
    {
        using var timeout = new CancellationTokenSource(within);
        while (true)
        {
            try
            {
                if (await condition())
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
                Assert.Fail($"{failure()} within {within.TotalSeconds:0.#} s");
            }
            await Task.Delay(50, CancellationToken.None);
        }
    }
}
