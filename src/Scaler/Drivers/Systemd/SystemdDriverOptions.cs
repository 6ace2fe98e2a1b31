namespace StarGuide.Scaler.Drivers.Systemd;

/// <summary>
/// Settings of the <c>systemd</c> driver (section <c>Scaler:Pools:&lt;pool&gt;:Systemd</c>): each instance is one
/// instance of a systemd template unit, started and stopped with <c>systemctl</c>, like the seed's
/// <c>starguide-backend@.service</c> with <c>--port 800%i</c>. In <see cref="Unit"/> and <see cref="Address"/>,
/// <c>{index}</c> is the instance's slot (1 to <see cref="Slots"/>) and <c>{pool}</c> the pool's name.
/// </summary>
internal sealed class SystemdDriverOptions
{
    /// <summary>The unit of one instance, e.g. <c>starguide-backend@{index}.service</c>; must contain <c>{index}</c>.</summary>
    public string Unit { get; set; } = "";

    /// <summary>
    /// The instance's address, which must follow what the unit listens on, e.g. <c>http://127.0.0.1:800{index}</c>
    /// for the seed's <c>--port 800%i</c>; must contain <c>{index}</c>.
    /// </summary>
    public string Address { get; set; } = "";

    /// <summary>
    /// Highest slot (<c>{index}</c>) the driver uses; instances take the lowest free slot from 1. The default 9
    /// matches the seed's ports: <c>800{index}</c> is a valid, distinct port only for 1 to 9.
    /// </summary>
    public int Slots { get; set; } = 9;

    /// <summary>The <c>systemctl</c> program, a path or a name on <c>PATH</c>.</summary>
    public string SystemctlPath { get; set; } = "systemctl";

    /// <summary>Talk to the calling user's service manager (<c>systemctl --user</c>) instead of the system's.</summary>
    public bool User { get; set; }

    /// <summary>
    /// Longest a <c>systemctl</c> call may take (except <c>stop</c>, which is bounded by the stop's grace period)
    /// before it is killed and the operation fails.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
