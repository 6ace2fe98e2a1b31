namespace StarGuide.BackupService.Restore;

/// <summary>
/// The folder an HTTP restore names, resolved inside <c>Backup:Restore:Root</c>: a path relative to the root, or an
/// absolute one inside it. Only the name is judged here (a bad one is the caller's error, 400); what is on disk
/// (links, files, a folder that is not empty) is checked when the restore creates the target.
/// </summary>
internal static class RestoreTarget
{
    public static bool TryResolve(string root, string? requested, out string target, out string problem)
    {
        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        target = "";
        problem = "";
        if (string.IsNullOrWhiteSpace(requested))
        {
            problem = $"target is required: a folder inside {RestoreOptions.RootKey} ('{fullRoot}'), e.g. \"2026-11-30\"";
            return false;
        }
        if (requested.Contains('\0'))
        {
            problem = "target contains a NUL character";
            return false;
        }
        // Refused even where it would resolve inside the root: a name that climbs is a mistake or a probe.
        if (requested.Split('/', '\\').Contains(".."))
        {
            problem = $"target '{requested}' contains '..': name a folder inside {RestoreOptions.RootKey} ('{fullRoot}')";
            return false;
        }
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.IsPathRooted(requested) ? requested : Path.Join(fullRoot, requested)));
        if (full == fullRoot)
        {
            problem = $"target must be a folder inside {RestoreOptions.RootKey} ('{fullRoot}'), not the root itself";
            return false;
        }
        if (!full.StartsWith(fullRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            problem = $"target '{requested}' is outside {RestoreOptions.RootKey} ('{fullRoot}')";
            return false;
        }
        target = full;
        return true;
    }
}
