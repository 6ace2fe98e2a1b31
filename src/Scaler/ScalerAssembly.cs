namespace StarGuide.Scaler;

/// <summary>Marks the scaler's assembly for tests that host it (<c>WebApplicationFactory&lt;ScalerAssembly&gt;</c>).</summary>
public sealed class ScalerAssembly;
