namespace StarGuide.BackupService.Backups;

/// <summary>One source of a backup, under <c>Backup:Sources:&lt;n&gt;</c>.</summary>
internal sealed class BackupSourceOptions
{
    /// <summary>Absolute path of a folder or a file. Stored in the archive without the leading '/', as tar does.</summary>
    public string Path { get; set; } = "";

    /// <summary>
    /// Glob patterns relative to <see cref="Path"/> for what is left out: <c>*</c> and <c>?</c> within a name,
    /// <c>**</c> across folders. A pattern without '/' matches a name at any depth (<c>*.log</c>, <c>node_modules</c>);
    /// an excluded folder is left out with everything in it.
    /// </summary>
    public List<string> Excludes { get; set; } = [];
}
