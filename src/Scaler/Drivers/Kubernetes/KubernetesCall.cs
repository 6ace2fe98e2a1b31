using System.Net;
using k8s.Autorest;

namespace StarGuide.Scaler.Drivers.Kubernetes;

/// <summary>Runs one API call and turns its failure into an <see cref="InstanceDriverException"/> that names the request and the server's answer.</summary>
internal static class KubernetesCall
{
    public static async Task<T> RunAsync<T>(string request, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException ex)
        {
            var content = ex.Response.Content ?? "";
            throw new InstanceDriverException(
                $"Kubernetes API {request} failed: {(int)ex.Response.StatusCode} {ex.Response.ReasonPhrase}: {content[..Math.Min(content.Length, 500)]}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new InstanceDriverException($"Kubernetes API {request} failed: {ex.Message}", ex);
        }
    }

    public static bool Is(Exception ex, HttpStatusCode status) =>
        ex is InstanceDriverException { InnerException: HttpOperationException http } && http.Response.StatusCode == status;
}
