using System.Diagnostics;

namespace StarGuide.Testing;

/// <summary>Polls a freshly started server until it serves clients, fails, or runs out of time.</summary>
internal static class Readiness
{
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    // RabbitMQ took ~45 s to boot at load 50 (docs/measurements.md), and a test assembly starts several at once.
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);

    /// <summary>
    /// Calls <paramref name="probe"/> every <see cref="PollInterval"/> until it returns null (ready).
    /// A non-null result describes the last failure and ends up in the timeout message.
    /// </summary>
    internal static async Task WaitAsync(
        string what,
        ChildProcess process,
        OutputRingBuffer output,
        Func<CancellationToken, Task<string?>> probe,
        CancellationToken cancellationToken,
        TimeSpan? timeout = null)
    {
        var limit = timeout ?? Timeout;
        var elapsed = Stopwatch.StartNew();
        string? lastFailure = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // A server that died (port taken, bad config) will never answer: say so now, not at the timeout.
            if (process.HasExited)
            {
                await process.WaitForExitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"{what} did not start: {process.ExitDescription}. Last output:{Environment.NewLine}{output.Tail()}");
            }

            lastFailure = await probe(cancellationToken).ConfigureAwait(false);
            if (lastFailure is null)
            {
                return;
            }

            if (elapsed.Elapsed >= limit)
            {
                throw new TimeoutException(
                    $"{what} was not ready within {limit.TotalSeconds:0} s. Last attempt: {lastFailure}. "
                    + $"Last output:{Environment.NewLine}{output.Tail()}");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}
