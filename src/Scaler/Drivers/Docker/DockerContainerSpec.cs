using System.Globalization;
using Docker.DotNet.Models;

namespace StarGuide.Scaler.Drivers.Docker;

/// <summary>What <c>docker create</c> gets for one instance.</summary>
internal static class DockerContainerSpec
{
    public static CreateContainerParameters For(InstanceLaunch launch, string name, DockerDriverOptions options)
    {
        var port = $"{options.ContainerPort.ToString(CultureInfo.InvariantCulture)}/tcp";
        var hostConfig = new HostConfig
        {
            // The scaler restarts crashed instances itself, with its back-off; the engine must not race it.
            RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No },
            Memory = options.MemoryMegabytes * 1024 * 1024,
            NanoCPUs = (long)(options.Cpus * 1_000_000_000),
            Binds = options.Volumes.Count > 0 ? [.. options.Volumes] : null,
            // An instance serves HTTP on an unprivileged port: it needs no capability, and nothing in it may gain one
            // (setuid binaries, file capabilities). The docker-proxy refuses a create without these two.
            CapDrop = ["ALL"],
            SecurityOpt = ["no-new-privileges:true"],
        };
        NetworkingConfig? networking = null;
        if (options.Network.Length == 0)
        {
            // An empty host port lets the engine pick a free one at start, so two instances never race for a port.
            hostConfig.PortBindings = new Dictionary<string, IList<PortBinding>>
            {
                [port] = [new PortBinding { HostIP = options.PublishAddress, HostPort = "" }],
            };
        }
        else
        {
            hostConfig.NetworkMode = options.Network;
            networking = new NetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, EndpointSettings> { [options.Network] = new() },
            };
        }

        return new CreateContainerParameters
        {
            Name = name,
            Image = options.Image,
            Hostname = name,
            Env = [.. options.Environment.Select(e => $"{e.Key}={DockerTemplates.Expand(e.Value, launch, options.ContainerPort)}")],
            Cmd = options.Command.Count > 0
                ? [.. options.Command.Select(c => DockerTemplates.Expand(c, launch, options.ContainerPort))]
                : null,
            ExposedPorts = new Dictionary<string, EmptyStruct> { [port] = default },
            Labels = DockerLabels.For(launch, options),
            HostConfig = hostConfig,
            NetworkingConfig = networking,
        };
    }
}
