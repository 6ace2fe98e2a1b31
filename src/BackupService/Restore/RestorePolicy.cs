namespace StarGuide.BackupService.Restore;

/// <summary>
/// How one restore may write: its limits, whether setuid, setgid and sticky bits survive, and the root an HTTP restore
/// is confined to (null for the command line, whose operator may write anywhere).
/// </summary>
internal sealed record RestorePolicy(int MaxEntries, long MaxBytes, bool KeepSpecialBits, string? ConfinedTo)
{
    /// <summary>An HTTP caller never gets setuid/setgid files: they would run as their owner, often root.</summary>
    public static RestorePolicy Http(RestoreOptions options, string root) =>
        new(options.MaxEntries, options.MaxBytes, KeepSpecialBits: false, root);

    public static RestorePolicy CommandLine(RestoreOptions options, bool keepSpecialBits) =>
        new(options.MaxEntries, options.MaxBytes, keepSpecialBits, ConfinedTo: null);
}
