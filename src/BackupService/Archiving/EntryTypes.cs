using System.Formats.Tar;

namespace StarGuide.BackupService.Archiving;

/// <summary>The entry types a manifest names, and how tar's types map onto them.</summary>
internal static class EntryTypes
{
    public const string File = "file";
    public const string Directory = "directory";
    public const string Symlink = "symlink";

    public static string Of(TarEntryType type) => type switch
    {
        TarEntryType.Directory => Directory,
        TarEntryType.SymbolicLink => Symlink,
        _ => File,
    };
}
