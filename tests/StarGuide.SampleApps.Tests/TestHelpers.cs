using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace StarGuide.SampleApps.Tests;

internal static class TestHelpers
{
    public static string? InstanceHeader(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Instance-Id", out var values) ? string.Join(",", values) : null;

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Sends <paramref name="send"/> and returns its response and how long it took, end to end.</summary>
    public static async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> TimeAsync(
        Func<Task<HttpResponseMessage>> send)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await send();
        return (response, Stopwatch.GetElapsedTime(started));
    }
}
