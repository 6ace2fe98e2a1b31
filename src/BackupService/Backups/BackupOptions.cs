using StarGuide.BackupService.Restore;

namespace StarGuide.BackupService.Backups;

/// <summary>What to back up, where to, when, who may ask, and where restores may go (section <c>Backup</c>).</summary>
internal sealed class BackupOptions
{
    public const string SectionName = "Backup";

    /// <summary>Files and folders to archive (absolute paths). The seed's are in <c>appsettings.Production.json</c>.</summary>
    public List<BackupSourceOptions> Sources { get; set; } = [];

    /// <summary>Folder that holds the archives, their checksums and manifests; created at start.</summary>
    public string Destination { get; set; } = "";

    /// <summary>Cron expression (5 fields, or 6 with seconds) evaluated in UTC; empty: no scheduled backups.</summary>
    public string Schedule { get; set; } = "0 3 * * *";

    /// <summary>Archives kept; older ones are deleted after each successful backup.</summary>
    public int Keep { get; set; } = 10;

    /// <summary>Where HTTP restores may write and how much a restore may write (<c>Backup:Restore</c>).</summary>
    public RestoreOptions Restore { get; set; } = new();
}
