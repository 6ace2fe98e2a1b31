namespace StarGuide.Scaler.Drivers;

/// <summary>
/// Names what the drivers start (process environment, container labels), so that two systems on one machine never adopt
/// each other's instances: the scaler's <c>Scaler:Scope</c>, handed over by Pools/ (<c>AddPools</c>).
/// </summary>
internal sealed class DriverScopeOptions
{
    public string Scope { get; set; } = "";
}
