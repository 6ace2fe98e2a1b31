using System.Net;

namespace StarGuide.Gateway.Tests.Support;

internal static class ProxyClient
{
    /// <summary>Sends <paramref name="count"/> GETs one after the other; returns each status and body.</summary>
    public static async Task<List<(HttpStatusCode Status, string Body)>> GetSequentiallyAsync(this HttpClient client, int count, string path = "/api/x")
    {
        var results = new List<(HttpStatusCode, string)>(count);
        for (var i = 0; i < count; i++)
        {
            using var response = await client.GetAsync(path);
            results.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }
        return results;
    }
}
