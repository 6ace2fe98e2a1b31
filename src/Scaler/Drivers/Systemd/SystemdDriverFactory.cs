
namespace StarGuide.Scaler.Drivers.Systemd;

/// <summary>Makes <see cref="SystemdDriver"/>s for pools with <c>Driver: systemd</c>.</summary>
internal sealed class SystemdDriverFactory(TimeProvider time, ILoggerFactory loggers) : IInstanceDriverFactory
{
    public const string DriverKind = "systemd";

    public string Kind => DriverKind;

    public IEnumerable<string> Validate(string poolKey, PoolDriverOptions pool) =>
        SystemdOptionsValidation.Problems($"{poolKey}:Systemd", PoolName(poolKey), pool);

    public IInstanceDriver Create(string pool, PoolDriverOptions options) =>
        new SystemdDriver(pool, options.Systemd, new Systemctl(options.Systemd, time), time, loggers.CreateLogger<SystemdDriver>());

    private static string PoolName(string poolKey) => poolKey[(poolKey.LastIndexOf(':') + 1)..];
}
