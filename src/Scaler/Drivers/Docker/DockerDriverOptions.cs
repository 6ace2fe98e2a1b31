namespace StarGuide.Scaler.Drivers.Docker;

/// <summary>Settings of the <c>docker</c> driver (section <c>Scaler:Pools:&lt;pool&gt;:Docker</c>).</summary>
internal sealed class DockerDriverOptions
{
}
