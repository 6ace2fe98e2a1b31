using System.Net;
using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace StarGuide.Scaler.Drivers.Docker;

/// <summary>
/// One engine connection. Every call gets <see cref="DockerDriverOptions.ApiTimeout"/> (plus any extra time it needs), and a
/// call the engine does not answer becomes an <see cref="InstanceDriverException"/> that names the endpoint. Answers such
/// as "no such container" stay <see cref="DockerApiException"/>s for the caller to judge.
/// </summary>
internal sealed class DockerEngine(string endpoint, TimeSpan timeout) : IDisposable
{
    // Timeouts are applied per call below; the library's own default would cut the events stream and long stops.
    private readonly DockerClientConfiguration _configuration =
        new(new Uri(endpoint), defaultTimeout: Timeout.InfiniteTimeSpan);

    private DockerClient? _client;

    public string Endpoint => endpoint;

    public DockerClient Client => _client ??= _configuration.CreateClient();

    public async Task<T> CallAsync<T>(string what, Func<DockerClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken, TimeSpan extra = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout + extra);
        try
        {
            return await call(Client, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InstanceDriverException($"The Docker engine at {endpoint} did not answer {what} within {(timeout + extra).TotalSeconds:0} s.", ex);
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            throw Unreachable(what, ex);
        }
    }

    public Task CallAsync(string what, Func<DockerClient, CancellationToken, Task> call, CancellationToken cancellationToken, TimeSpan extra = default) =>
        CallAsync(what, async (client, token) =>
        {
            await call(client, token).ConfigureAwait(false);
            return true;
        }, cancellationToken, extra);

    /// <summary>Force-removes a container, never throwing: returns the failure, or null when it is gone (or going).</summary>
    public async Task<Exception?> TryRemoveAsync(string containerId)
    {
        try
        {
            await CallAsync($"removing container {containerId}", (c, t) => c.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, t), CancellationToken.None).ConfigureAwait(false);
            return null;
        }
        catch (DockerApiException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            return null;
        }
        catch (Exception ex) when (ex is DockerApiException or InstanceDriverException)
        {
            return ex;
        }
    }

    public InstanceDriverException Refused(string what, DockerApiException ex) =>
        new($"The Docker engine at {endpoint} refused {what}: {(int)ex.StatusCode} {ex.ResponseBody?.Trim()}", ex);

    public InstanceDriverException Unreachable(string what, Exception ex)
    {
        // A missing socket file surfaces as "Cannot assign requested address", which sends readers the wrong way.
        var cause = Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme == "unix" && !File.Exists(uri.LocalPath)
            ? $"there is no socket at {uri.LocalPath}"
            : ex.GetBaseException().Message;
        return new($"The Docker engine at {endpoint} does not answer ({what}): {cause}. Is dockerd running, and may the scaler use its socket?", ex);
    }

    public static bool IsUnreachable(Exception ex) =>
        ex is HttpRequestException or IOException or SocketException or TimeoutException
        || ex.InnerException is { } inner && IsUnreachable(inner);

    public void Dispose()
    {
        _client?.Dispose();
        _configuration.Dispose();
    }
}
