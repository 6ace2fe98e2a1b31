using System.Net;
using Microsoft.Extensions.Logging;

namespace StarGuide.Scaler.Drivers.Docker;

/// <summary>Makes <see cref="DockerDriver"/>s for pools whose <c>Driver</c> is <c>docker</c>, and checks their settings.</summary>
internal sealed class DockerDriverFactory(TimeProvider time, ILogger<DockerDriver> logger) : IInstanceDriverFactory
{
    public const string DriverKind = "docker";

    // Container names resolve only on user-defined networks; "host" and "none" have no container port to reach.
    private static readonly string[] _unusableNetworks = ["bridge", "default", "host", "none"];

    public string Kind => DriverKind;

    public IInstanceDriver Create(string pool, PoolDriverOptions options) => new DockerDriver(pool, options.Docker, time, logger);

    public IEnumerable<string> Validate(string poolKey, PoolDriverOptions pool)
    {
        var o = pool.Docker;
        var key = $"{poolKey}:Docker";
        if (string.IsNullOrWhiteSpace(o.Image))
        {
            yield return $"{key}:Image is required (an image built or loaded on the engine; it is never pulled).";
        }

        if (o.Endpoint.Length > 0 && DockerEndpoint.Problem(o.Endpoint) is { } endpointProblem)
        {
            yield return $"{key}:Endpoint {endpointProblem}";
        }

        if (o.ContainerPort is < 1 or > 65535)
        {
            yield return $"{key}:ContainerPort must be a TCP port from 1 to 65535 (was {o.ContainerPort}).";
        }

        if (_unusableNetworks.Contains(o.Network, StringComparer.OrdinalIgnoreCase))
        {
            yield return $"{key}:Network '{o.Network}' cannot be used: name a user-defined network (docker network create), or leave it empty to publish ports on {o.PublishAddress}.";
        }

        if (o.Network.Length == 0 && !IPAddress.TryParse(o.PublishAddress, out _))
        {
            yield return $"{key}:PublishAddress must be an IP address such as 127.0.0.1 (was '{o.PublishAddress}').";
        }

        if (!DockerTemplates.IsValidName(o.NamePrefix))
        {
            yield return $"{key}:NamePrefix must start with a letter or digit and hold only letters, digits, '_', '.' and '-' (was '{o.NamePrefix}').";
        }

        foreach (var label in o.Labels.Keys.Where(k => k.Length == 0 || k.StartsWith(DockerLabels.Prefix, StringComparison.Ordinal)))
        {
            yield return $"{key}:Labels:{label} is reserved: labels starting with {DockerLabels.Prefix} belong to the driver.";
        }

        foreach (var name in o.Environment.Keys.Where(k => k.Length == 0 || k.Contains('=', StringComparison.Ordinal)))
        {
            yield return $"{key}:Environment:{name} is not a variable name.";
        }

        if (o.MemoryMegabytes != 0 && o.MemoryMegabytes < 6)
        {
            yield return $"{key}:MemoryMegabytes must be 0 (no limit) or at least 6, Docker's minimum (was {o.MemoryMegabytes}).";
        }

        if (!double.IsFinite(o.Cpus) || o.Cpus < 0)
        {
            yield return $"{key}:Cpus must be 0 (no limit) or a positive number of cores such as 0.5 (was {o.Cpus}).";
        }

        if (o.RetainExited < 0)
        {
            yield return $"{key}:RetainExited must be 0 or more (was {o.RetainExited}).";
        }

        if (o.ApiTimeout <= TimeSpan.Zero)
        {
            yield return $"{key}:ApiTimeout must be positive (was {o.ApiTimeout}).";
        }
    }
}
