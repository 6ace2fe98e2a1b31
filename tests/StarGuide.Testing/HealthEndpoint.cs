using System.Net;

namespace StarGuide.Testing;

/// <summary>
/// A service's <c>/health</c> as the tests read it. 200 is not "healthy": the gateway answers 200 <c>Degraded</c> while
/// its bus is disconnected (it still serves), so a test that needs the bus connected waits for the body <c>Healthy</c>.
/// </summary>
public static class HealthEndpoint
{
    public const string Path = "/health";

    /// <summary>The status code and body of one <c>/health</c> request, e.g. <c>200 Degraded</c>.</summary>
    public static async Task<string> ReadAsync(HttpClient client)
    {
        using var response = await client.GetAsync(Path).ConfigureAwait(false);
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}";
    }

    /// <summary>Whether <c>/health</c> answers 200 <c>Healthy</c>: every check passes (the bus connected, where there is one).</summary>
    public static async Task<bool> IsHealthyAsync(HttpClient client) => await ReadAsync(client).ConfigureAwait(false) == Answer(HttpStatusCode.OK, "Healthy");

    /// <summary>Waits until <c>/health</c> answers 200 <c>Healthy</c>; fails with <paramref name="failure"/> and the last answer.</summary>
    public static Task WaitHealthyAsync(HttpClient client, TimeSpan within, string failure) =>
        WaitForAsync(client, HttpStatusCode.OK, "Healthy", within, failure);

    /// <summary>Waits until <c>/health</c> answers <paramref name="status"/> with the body <paramref name="body"/>.</summary>
    public static Task WaitForAsync(HttpClient client, HttpStatusCode status, string body, TimeSpan within, string failure)
    {
        var expected = Answer(status, body);
        var last = "no answer";
        return Eventually.TrueAsync(async () => (last = await ReadAsync(client).ConfigureAwait(false)) == expected, within,
            () => $"{failure} (/health: expected {expected}, last {last})");
    }

    private static string Answer(HttpStatusCode status, string body) => $"{(int)status} {body}";
}
