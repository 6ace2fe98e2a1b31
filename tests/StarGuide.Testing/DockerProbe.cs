using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;

namespace StarGuide.Testing;

/// <summary>
/// Builds a Testcontainers container when Docker answers. Without a daemon, Build() throws
/// DockerUnavailableException; that answer is remembered so the second server does not ask again.
/// </summary>
internal static class DockerProbe
{
    // Bounded because a hung daemon socket must not eat the test run's time: the local executables are a
    // perfectly good fallback.
    private static readonly TimeSpan _budget = TimeSpan.FromSeconds(2);

    private static volatile string? _unavailableReason;

    /// <summary>Why Docker was not used, once a probe has failed; null before that or when Docker answered.</summary>
    internal static string? UnavailableReason => _unavailableReason;

    /// <summary>The built (not started) container, or null when Docker is unavailable.</summary>
    internal static async Task<TContainer?> TryBuildAsync<TContainer>(Func<TContainer> build, CancellationToken cancellationToken)
        where TContainer : class, IContainer
    {
        if (_unavailableReason is not null)
        {
            return null;
        }

        var building = Task.Run(build, cancellationToken);
        try
        {
            return await building.WaitAsync(_budget, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerUnavailableException ex)
        {
            _unavailableReason = FirstLine(ex.Message);
            return null;
        }
        catch (TimeoutException)
        {
            _unavailableReason = $"Docker did not answer within {_budget.TotalSeconds:0} s";

            // The build may still finish; a container built but never started holds nothing, yet dispose it
            // and observe any exception so it does not surface as an unobserved task exception.
            _ = building.ContinueWith(
                static async t =>
                {
                    if (t.IsCompletedSuccessfully)
                    {
                        await t.Result.DisposeAsync().ConfigureAwait(false);
                    }
                    else
                    {
                        _ = t.Exception;
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
            return null;
        }
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
