
namespace StarGuide.Scaler.Drivers;

/// <summary>
/// Makes the driver named <see cref="Kind"/> for a pool whose <c>Scaler:Pools:&lt;pool&gt;:Driver</c> names it, and
/// checks that pool's driver settings at start. Registered as a singleton per kind
/// (<c>services.AddSingleton&lt;IInstanceDriverFactory, ProcessDriverFactory&gt;()</c>).
/// </summary>
internal interface IInstanceDriverFactory
{
    string Kind { get; }

    /// <summary>
    /// Problems in the pool's settings for this driver, each naming its key under <paramref name="poolKey"/>
    /// (e.g. <c>Scaler:Pools:backend:Process:Command is required.</c>). Empty when they are fine.
    /// </summary>
    IEnumerable<string> Validate(string poolKey, PoolDriverOptions pool);

    IInstanceDriver Create(string pool, PoolDriverOptions options);
}
