using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace StarGuide.Scaler.Pools;

/// <summary>
/// Keeps each pool's state in Redis (<c>&lt;scope&gt;:scaler:pool:&lt;pool&gt;</c>) so that a restarted scaler knows
/// the desired size, the version and which instances it started. Redis being down never stops the pools: a save
/// that fails is logged and made again with the next change, and a scaler that cannot read its state starts from
/// configuration and from what its drivers find running.
/// </summary>
internal sealed partial class PoolStore(IConnectionMultiplexer redis, IOptions<ScalerOptions> options, ILogger<PoolStore> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(3);

    private readonly string _scope = options.Value.Scope;
    private int _failing;

    public async Task<StoredPool?> LoadAsync(string pool)
    {
        try
        {
            var value = await redis.GetDatabase().StringGetAsync(Key(pool)).WaitAsync(LoadTimeout);
            return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<StoredPool>(value.ToString(), Json);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or JsonException)
        {
            LogLoadFailed(logger, ex, pool, Key(pool));
            return null;
        }
    }

    public async Task SaveAsync(string pool, StoredPool state)
    {
        try
        {
            await redis.GetDatabase().StringSetAsync(Key(pool), JsonSerializer.Serialize(state, Json));
            if (Interlocked.Exchange(ref _failing, 0) == 1)
            {
                LogSaveRecovered(logger, pool);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            if (Interlocked.Exchange(ref _failing, 1) == 0)
            {
                LogSaveFailed(logger, ex, pool);
            }
        }
    }

    private string Key(string pool) => $"{_scope}:scaler:pool:{pool}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the stored state of pool {Pool} from Redis ({Key}); starting from configuration and from what the driver finds running")]
    private static partial void LogLoadFailed(ILogger logger, Exception ex, string pool, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store the state of pool {Pool} in Redis; the pools keep running and the state is stored again with the next change")]
    private static partial void LogSaveFailed(ILogger logger, Exception ex, string pool);

    [LoggerMessage(Level = LogLevel.Information, Message = "The state of pool {Pool} is stored in Redis again")]
    private static partial void LogSaveRecovered(ILogger logger, string pool);
}
