using Microsoft.Extensions.Logging.Abstractions;
using StarGuide.Scaler.Drivers.Systemd;
using StarGuide.Scaler.Pools;

namespace StarGuide.Scaler.Tests.Drivers.Systemd;

public sealed class SystemdDriverFactoryTests
{
    private readonly SystemdDriverFactory _factory = new(TimeProvider.System, NullLoggerFactory.Instance);

    [Fact]
    public void Validate_accepts_the_seed_layout()
    {
        Assert.Empty(_factory.Validate("Scaler:Pools:backend", Pool()));
        Assert.Equal("systemd", _factory.Kind);
    }

    [Fact]
    public void Validate_names_every_missing_key()
    {
        var pool = new ScalerPoolOptions { Driver = "systemd" };
        pool.Systemd.SystemctlPath = "";

        var problems = _factory.Validate("Scaler:Pools:backend", pool).ToList();

        Assert.Equal(3, problems.Count);
        Assert.StartsWith("Scaler:Pools:backend:Systemd:Unit is required.", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("Scaler:Pools:backend:Systemd:Address is required.", problems[1], StringComparison.Ordinal);
        Assert.StartsWith("Scaler:Pools:backend:Systemd:SystemctlPath is required.", problems[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Unit", "starguide-backend.service", "Scaler:Pools:backend:Systemd:Unit 'starguide-backend.service' must contain {index}")]
    [InlineData("Address", "http://127.0.0.1:8000", "Scaler:Pools:backend:Systemd:Address 'http://127.0.0.1:8000' must contain {index}")]
    [InlineData("Address", "127.0.0.1:800{index}", "Scaler:Pools:backend:Systemd:Address gives '127.0.0.1:8001' for slot 1")]
    [InlineData("Slots", "10", "Scaler:Pools:backend:Systemd:Address gives 'http://127.0.0.1:80010' for slot 10")]
    [InlineData("Slots", "3", "Scaler:Pools:backend:Systemd:Slots (3) must be at least the pool's MaxInstances (5).")]
    [InlineData("Slots", "0", "Scaler:Pools:backend:Systemd:Slots must be at least 1")]
    [InlineData("CommandTimeout", "00:00:00", "Scaler:Pools:backend:Systemd:CommandTimeout must be positive")]
    public void Validate_names_the_bad_key(string key, string value, string expected)
    {
        var pool = Pool();
        switch (key)
        {
            case "Unit": pool.Systemd.Unit = value; break;
            case "Address": pool.Systemd.Address = value; break;
            case "Slots": pool.Systemd.Slots = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "CommandTimeout": pool.Systemd.CommandTimeout = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
        }

        var problem = Assert.Single(_factory.Validate("Scaler:Pools:backend", pool));
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
    }

    private static ScalerPoolOptions Pool()
    {
        var pool = new ScalerPoolOptions { Driver = "systemd" };
        pool.Systemd.Unit = "starguide-backend@{index}.service";
        pool.Systemd.Address = "http://127.0.0.1:800{index}";
        return pool;
    }
}
