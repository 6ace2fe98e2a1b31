using Microsoft.Extensions.Logging.Abstractions;
using StarGuide.Scaler.Drivers;
using StarGuide.Scaler.Drivers.Docker;
using StarGuide.Scaler.Pools;

namespace StarGuide.Scaler.Tests.Drivers.Docker;

public sealed class DockerDriverFactoryTests
{
    private const string PoolKey = "Scaler:Pools:backend";

    private readonly DockerDriverFactory _factory = new(TimeProvider.System, NullLogger<DockerDriver>.Instance);

    [Fact]
    public void Kind_is_docker() => Assert.Equal("docker", _factory.Kind);

    [Fact]
    public void Settings_with_an_image_are_fine() =>
        Assert.Empty(_factory.Validate(PoolKey, Pool(o => o.Image = "starguide/backend:1")));

    [Fact]
    public void A_missing_image_is_named() =>
        Assert.Equal(
            ["Scaler:Pools:backend:Docker:Image is required (an image built or loaded on the engine; it is never pulled)."],
            _factory.Validate(PoolKey, Pool(_ => { })));

    [Theory]
    [InlineData("Endpoint", "https://docker:2376")]
    [InlineData("Endpoint", "/var/run/docker.sock")]
    [InlineData("ContainerPort", "0")]
    [InlineData("ContainerPort", "70000")]
    [InlineData("Network", "bridge")]
    [InlineData("Network", "host")]
    [InlineData("PublishAddress", "localhost")]
    [InlineData("NamePrefix", "-starguide")]
    [InlineData("NamePrefix", "star guide")]
    [InlineData("MemoryMegabytes", "4")]
    [InlineData("Cpus", "-1")]
    [InlineData("RetainExited", "-1")]
    [InlineData("ApiTimeout", "00:00:00")]
    public void Each_bad_setting_is_named_by_its_key(string key, string value)
    {
        var problems = _factory.Validate(PoolKey, Pool(o =>
        {
            o.Image = "starguide/backend:1";
            var property = typeof(DockerDriverOptions).GetProperty(key)!;
            property.SetValue(o, property.PropertyType == typeof(TimeSpan)
                ? TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture)
                : Convert.ChangeType(value, property.PropertyType, System.Globalization.CultureInfo.InvariantCulture));
        })).ToList();

        var problem = Assert.Single(problems);
        Assert.StartsWith($"{PoolKey}:Docker:{key} ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Reserved_labels_and_bad_variable_names_are_named()
    {
        var problems = _factory.Validate(PoolKey, Pool(o =>
        {
            o.Image = "starguide/backend:1";
            o.Labels["io.starguide.pool"] = "other";
            o.Labels["team"] = "edge";
            o.Environment["A=B"] = "x";
        }));

        Assert.Equal(
            [
                "Scaler:Pools:backend:Docker:Labels:io.starguide.pool is reserved: labels starting with io.starguide. belong to the driver.",
                "Scaler:Pools:backend:Docker:Environment:A=B is not a variable name.",
            ],
            problems);
    }

    [Fact]
    public async Task An_engine_that_does_not_answer_is_named_in_the_error()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"starguide-no-engine-{Guid.NewGuid():N}.sock");
        await using var driver = (DockerDriver)_factory.Create("backend", Pool(o =>
        {
            o.Image = "starguide/backend:1";
            o.Endpoint = $"unix://{socket}";
        }));

        var error = await Assert.ThrowsAsync<InstanceDriverException>(() => driver.ListAsync(CancellationToken.None));

        Assert.Contains($"unix://{socket}", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not answer", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("backend", "backend-7", "starguide-backend-7")]
    [InlineData("backend", "pod-x", "starguide-backend-pod-x")]
    [InlineData("api v2", "api v2-1", "starguide-api-v2-1")]
    public void Container_names_carry_the_pool_and_id(string pool, string id, string expected) =>
        Assert.Equal(expected, DockerTemplates.ContainerName("starguide", pool, id));

    private static ScalerPoolOptions Pool(Action<DockerDriverOptions> configure)
    {
        var pool = new ScalerPoolOptions { Driver = "docker" };
        configure(pool.Docker);
        return pool;
    }
}
