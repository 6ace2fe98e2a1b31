using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using StarGuide.Scaler.Pools;

namespace StarGuide.IntegrationTests.Support;

/// <summary>The scaler's <c>GET /pools/{pool}</c>, read the way tests poll it.</summary>
internal static class ScalerApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The pool's status, or null while the scaler is not running yet or too busy to answer in time.</summary>
    public static async Task<PoolStatus?> PoolAsync(this HttpClient scaler, string pool)
    {
        try
        {
            return await scaler.GetFromJsonAsync<PoolStatus>($"/pools/{pool}", Json);
        }
        // Unknown for now, as callers poll.
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }
}
