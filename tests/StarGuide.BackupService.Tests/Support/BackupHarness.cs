using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Messaging;

namespace StarGuide.BackupService.Tests.Support;

/// <summary>
/// The backup core as the service wires it (options, validation, lock, retention, metrics), without a host or bus:
/// events are recorded. Owns a temp folder with <c>sources/</c> and <c>backups/</c>.
/// </summary>
internal sealed class BackupHarness : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly TempFolder _folder;

    public BackupHarness(
        string purpose, Action<Dictionary<string, string?>>? configure = null, TimeProvider? timeProvider = null, Action<ILoggingBuilder>? logging = null)
    {
        _folder = TempFolder.Create(purpose);
        Sources = _folder.Combine("sources");
        Destination = _folder.Combine("backups");
        Directory.CreateDirectory(Sources);
        var settings = new Dictionary<string, string?>
        {
            ["Backup:Sources:0:Path"] = Sources,
            ["Backup:Destination"] = Destination,
            ["Backup:Schedule"] = "",
        };
        configure?.Invoke(settings);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging(builder =>
        {
            builder.SetMinimumLevel(LogLevel.Warning);
            logging?.Invoke(builder);
        });
        services.AddBackupCore();
        services.AddSingleton(timeProvider ?? TimeProvider.System);
        services.AddSingleton<IBackupEvents>(Events);
        _services = services.BuildServiceProvider();
        _ = _services.GetRequiredService<IOptions<BackupOptions>>().Value;
    }

    public string Sources { get; }

    public string Destination { get; }

    public RecordingEvents Events { get; } = new();

    public IServiceProvider Services => _services;

    public BackupRunner Runner => _services.GetRequiredService<BackupRunner>();

    public string Scratch(string name) => _folder.Combine(name);

    public Task<BackupRun> BackupAsync() => Runner.RunAsync(Guid.NewGuid(), "test", CancellationToken.None);

    /// <summary>Every file in the destination (archives, sidecars, partial files), by name, with its bytes.</summary>
    public Dictionary<string, byte[]> DestinationFiles() =>
        Directory.EnumerateFiles(Destination)
            .Where(p => Path.GetFileName(p) != BackupFileNames.LockFileName)
            .ToDictionary(p => Path.GetFileName(p), File.ReadAllBytes);

    public void Dispose()
    {
        _services.Dispose();
        _folder.Dispose();
    }
}
