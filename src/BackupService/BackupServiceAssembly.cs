namespace StarGuide.BackupService;

/// <summary>Names this assembly for test hosts (<c>WebApplicationFactory&lt;BackupServiceAssembly&gt;</c>).</summary>
public sealed class BackupServiceAssembly;
