namespace StarGuide.Scaler.Drivers.Systemd;

/// <summary>Settings of the <c>systemd</c> driver (section <c>Scaler:Pools:&lt;pool&gt;:Systemd</c>).</summary>
internal sealed class SystemdDriverOptions
{
}
