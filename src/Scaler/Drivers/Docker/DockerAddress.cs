using System.Globalization;
using System.Net;
using Docker.DotNet.Models;

namespace StarGuide.Scaler.Drivers.Docker;

/// <summary>
/// An instance's address, read back from the engine: the published host port on <see cref="DockerDriverOptions.PublishAddress"/>,
/// else, for a container on <see cref="DockerDriverOptions.Network"/>, its name and container port.
/// </summary>
internal static class DockerAddress
{
    public static Uri? Of(ContainerInspectResponse container, DockerDriverOptions options)
    {
        var port = ContainerPort(container.Config?.Labels, options);
        var published = container.NetworkSettings?.Ports is { } ports
            && ports.TryGetValue($"{port.ToString(CultureInfo.InvariantCulture)}/tcp", out var bindings)
            && bindings is not null
                ? bindings.Select(b => int.TryParse(b.HostPort, CultureInfo.InvariantCulture, out var p) ? p : 0).FirstOrDefault(p => p > 0)
                : 0;
        return Build(published, container.Name, port, container.NetworkSettings?.Networks?.Keys, options);
    }

    public static Uri? Of(ContainerListResponse container, DockerDriverOptions options)
    {
        var port = ContainerPort(container.Labels, options);
        var published = container.Ports?.FirstOrDefault(p => p.PrivatePort == port && p.PublicPort > 0 && p.Type == "tcp")?.PublicPort ?? 0;
        return Build(published, container.Names?.FirstOrDefault(), port, container.NetworkSettings?.Networks?.Keys, options);
    }

    /// <summary>The port the container was started with (its label), so that a changed setting does not misaddress old containers.</summary>
    public static int ContainerPort(IDictionary<string, string>? labels, DockerDriverOptions options) =>
        labels is not null && labels.TryGetValue(DockerLabels.Port, out var text) && int.TryParse(text, CultureInfo.InvariantCulture, out var port)
            ? port
            : options.ContainerPort;

    private static Uri? Build(int publishedPort, string? name, int containerPort, IEnumerable<string>? networks, DockerDriverOptions options)
    {
        if (publishedPort > 0)
        {
            return new UriBuilder(Uri.UriSchemeHttp, HostFor(options.PublishAddress), publishedPort).Uri;
        }

        if (options.Network.Length > 0 && name is not null && networks?.Contains(options.Network) == true)
        {
            return new UriBuilder(Uri.UriSchemeHttp, name.TrimStart('/'), containerPort).Uri;
        }

        return null;
    }

    private static string HostFor(string publishAddress) =>
        IPAddress.TryParse(publishAddress, out var ip) && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any)
            ? publishAddress
            : "127.0.0.1";
}
