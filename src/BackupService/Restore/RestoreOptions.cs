namespace StarGuide.BackupService.Restore;

/// <summary>Where HTTP restores may write and how much one restore may write (section <c>Backup:Restore</c>).</summary>
internal sealed class RestoreOptions
{
    public const string SectionName = "Backup:Restore";
    public const string RootKey = SectionName + ":Root";
    public const string MaxEntriesKey = SectionName + ":MaxEntries";
    public const string MaxBytesKey = SectionName + ":MaxBytes";

    /// <summary>
    /// Absolute folder under which <c>POST /backups/{name}/restore</c> may write: the request names a folder inside it.
    /// Unset (the default): restores over HTTP are refused and only the command line restores. Created at start.
    /// The command line ignores it: the operator on the machine may restore anywhere.
    /// </summary>
    public string? Root { get; set; }

    /// <summary>Most archive entries (files, folders, links, skipped special files) one restore takes; HTTP and command line.</summary>
    public int MaxEntries { get; set; } = 1_000_000;

    /// <summary>Most bytes of file content one restore writes (before compression); HTTP and command line. Default 64 GiB.</summary>
    public long MaxBytes { get; set; } = 64L << 30;
}
