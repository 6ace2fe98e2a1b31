namespace StarGuide.Gateway;

/// <summary>Names this assembly for test hosts (<c>WebApplicationFactory&lt;GatewayAssembly&gt;</c>).</summary>
public sealed class GatewayAssembly;
