using StarGuide.Scaler.Drivers.Docker;
using StarGuide.Scaler.Drivers.Kubernetes;
using StarGuide.Scaler.Drivers.Process;
using StarGuide.Scaler.Drivers.Systemd;

namespace StarGuide.Scaler.Drivers;

internal static class InstanceDriversExtensions
{
    /// <summary>
    /// The drivers a pool may name in <c>Scaler:Pools:&lt;pool&gt;:Driver</c>; each checks its own settings at start
    /// (<see cref="IInstanceDriverFactory.Validate"/>). A new driver is one more line here (docs/where-to-change-what.md).
    /// </summary>
    public static WebApplicationBuilder AddInstanceDrivers(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IInstanceDriverFactory, ProcessDriverFactory>();
        builder.Services.AddSingleton<IInstanceDriverFactory, DockerDriverFactory>();
        builder.Services.AddSingleton<IInstanceDriverFactory, SystemdDriverFactory>();
        builder.Services.AddSingleton<IInstanceDriverFactory, KubernetesDriverFactory>();
        return builder;
    }
}
