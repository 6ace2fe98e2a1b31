namespace StarGuide.Scaler.Drivers.Systemd;

/// <summary>One line of <c>systemctl list-units --plain --no-legend</c>: <c>UNIT LOAD ACTIVE SUB DESCRIPTION…</c>.</summary>
internal sealed record ListedUnit(string Name, string Load, string Active, string Sub)
{
    /// <summary>
    /// The unit counts as a running instance. <c>activating</c> is included: with the seed's <c>Restart=always</c>
    /// that is a unit systemd is restarting by itself, still the same instance (the health monitor tells whether it
    /// answers), and reporting it gone would make the scaler start a second one next to it.
    /// </summary>
    public bool IsRunning => Active is "active" or "reloading" or "activating" or "refreshing";

    /// <summary>Its slot is taken: running, or still being stopped (<c>deactivating</c>), so not to be reused yet.</summary>
    public bool HoldsSlot => IsRunning || Active is "deactivating" or "maintenance";

    public static IReadOnlyList<ListedUnit> Parse(string output)
    {
        var units = new List<ListedUnit>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).AsSpan();
            // Some systemd versions mark failed or not-found units with a bullet even with --plain.
            if (fields.Length > 0 && fields[0] is "●" or "*")
            {
                fields = fields[1..];
            }

            if (fields.Length >= 4)
            {
                units.Add(new ListedUnit(fields[0], fields[1], fields[2], fields[3]));
            }
        }

        return units;
    }
}
