using System.Net;
using Cronos;
using Microsoft.Extensions.Options;
using StarGuide.BackupService.Restore;
using StarGuide.BackupService.Scheduling;

namespace StarGuide.BackupService.Backups;

/// <summary>
/// Rejects a bad <c>Backup</c> section at start, naming the key. A source path that does not exist is not an error
/// here (it may be mounted later): each backup then fails naming it. The destination is created here, so that a
/// destination the service can never write to stops it at once.
/// </summary>
internal sealed class BackupOptionsValidator : IValidateOptions<BackupOptions>
{
    private const string Section = BackupOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, BackupOptions options)
    {
        var errors = new List<string>();
        ValidateSources(options.Sources, errors);
        ValidateDestination(options, errors);
        if (!string.IsNullOrWhiteSpace(options.Schedule))
        {
            try
            {
                BackupSchedule.Parse(options.Schedule);
            }
            catch (CronFormatException ex)
            {
                errors.Add($"{Section}:Schedule '{options.Schedule}' is not a cron expression: {ex.Message}");
            }
        }
        if (options.Keep < 1)
        {
            errors.Add($"{Section}:Keep must be at least 1; it is {options.Keep}.");
        }
        RestoreOptionsValidator.ValidateLimits(options.Restore, errors);
        RestoreOptionsValidator.ValidateRoot(options.Restore, options.Destination, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateSources(List<BackupSourceOptions> sources, List<string> errors)
    {
        if (sources.Count == 0)
        {
            errors.Add($"{Section}:Sources is empty: there is nothing to back up.");
        }
        for (var i = 0; i < sources.Count; i++)
        {
            var key = $"{Section}:Sources:{i}";
            var path = sources[i]?.Path;
            if (string.IsNullOrWhiteSpace(path))
            {
                errors.Add($"{key}:Path is empty.");
                continue;
            }
            if (!Path.IsPathFullyQualified(path))
            {
                errors.Add($"{key}:Path must be an absolute path; it is '{path}'.");
                continue;
            }
            for (var j = 0; j < i; j++)
            {
                if (sources[j]?.Path is { Length: > 0 } other && Path.IsPathFullyQualified(other)
                    && (IsInside(path, other) || IsInside(other, path)))
                {
                    errors.Add($"{key}:Path '{path}' overlaps {Section}:Sources:{j}:Path '{other}': files would be archived twice.");
                }
            }
            var excludes = sources[i].Excludes;
            for (var e = 0; e < excludes.Count; e++)
            {
                if (string.IsNullOrWhiteSpace(excludes[e]))
                {
                    errors.Add($"{key}:Excludes:{e} is empty.");
                }
            }
        }
    }

    private static void ValidateDestination(BackupOptions options, List<string> errors)
    {
        var destination = options.Destination;
        if (string.IsNullOrWhiteSpace(destination))
        {
            errors.Add($"{Section}:Destination is empty: set the folder that holds the backups.");
            return;
        }
        if (!Path.IsPathFullyQualified(destination))
        {
            errors.Add($"{Section}:Destination must be an absolute path; it is '{destination}'.");
            return;
        }
        for (var i = 0; i < options.Sources.Count; i++)
        {
            if (options.Sources[i]?.Path is { Length: > 0 } source && Path.IsPathFullyQualified(source) && IsInside(destination, source))
            {
                errors.Add($"{Section}:Destination '{destination}' is inside {Section}:Sources:{i}:Path '{source}': each backup would contain the previous ones.");
            }
        }
        try
        {
            Directory.CreateDirectory(destination);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{Section}:Destination '{destination}' cannot be created: {ex.Message}");
        }
    }

    internal static bool IsInside(string path, string folder)
    {
        var p = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var f = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        return p.Equals(f, StringComparison.Ordinal)
            || p.StartsWith(f + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || f == "/";
    }
}
