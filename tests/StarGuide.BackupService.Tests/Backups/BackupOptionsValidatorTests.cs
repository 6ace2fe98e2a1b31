using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Tests.Support;

namespace StarGuide.BackupService.Tests.Backups;

public sealed class BackupOptionsValidatorTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create("options");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Good_options_pass_and_create_the_destination()
    {
        var options = Valid();

        var result = new BackupOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.True(Directory.Exists(options.Destination));
    }

    [Fact]
    public void A_source_that_does_not_exist_yet_is_not_an_error() =>
        Assert.True(new BackupOptionsValidator().Validate(null, Valid(source: "/not/mounted/yet")).Succeeded);

    [Theory]
    [InlineData("", "Backup:Sources:0:Path is empty.")]
    [InlineData("relative/path", "Backup:Sources:0:Path must be an absolute path; it is 'relative/path'.")]
    public void A_bad_source_path_is_named(string path, string message) =>
        Assert.Contains(message, Errors(Valid(source: path)));

    [Fact]
    public void Each_bad_key_is_named()
    {
        var options = Valid();
        options.Sources.Add(new BackupSourceOptions { Path = options.Sources[0].Path + "/inner", Excludes = [" "] });
        options.Schedule = "every night";
        options.Keep = 0;

        var errors = Errors(options);

        Assert.Contains(errors, e => e.StartsWith("Backup:Sources:1:Path '", StringComparison.Ordinal) && e.Contains("overlaps Backup:Sources:0:Path"));
        Assert.Contains("Backup:Sources:1:Excludes:0 is empty.", errors);
        Assert.Contains(errors, e => e.StartsWith("Backup:Schedule 'every night' is not a cron expression: ", StringComparison.Ordinal));
        Assert.Contains("Backup:Keep must be at least 1; it is 0.", errors);
    }

    [Fact]
    public void A_destination_that_cannot_be_created_is_named()
    {
        var file = _folder.Combine("a-file");
        File.WriteAllText(file, "");
        var options = Valid();
        options.Destination = Path.Combine(file, "backups");

        Assert.Contains(Errors(options), e => e.StartsWith($"Backup:Destination '{options.Destination}' cannot be created: ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_destination_inside_a_source_is_refused()
    {
        var options = Valid();
        options.Destination = Path.Combine(options.Sources[0].Path, "backups");

        Assert.Contains(Errors(options), e => e.Contains("is inside Backup:Sources:0:Path"));
    }

    [Fact]
    public void An_empty_schedule_means_no_schedule()
    {
        var options = Valid();
        options.Schedule = "";

        Assert.True(new BackupOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void A_restore_root_is_created_and_unset_means_http_restore_is_off()
    {
        var options = Valid();
        Assert.Null(options.Restore.Root);
        Assert.True(new BackupOptionsValidator().Validate(null, options).Succeeded);

        options.Restore.Root = _folder.Combine("restores");

        Assert.True(new BackupOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(Directory.Exists(options.Restore.Root));
    }

    [Fact]
    public void Each_bad_restore_key_is_named()
    {
        var options = Valid();
        options.Restore.Root = "restores";
        options.Restore.MaxEntries = 0;
        options.Restore.MaxBytes = -1;

        var errors = Errors(options);

        Assert.Contains("Backup:Restore:Root must be an absolute path; it is 'restores'.", errors);
        Assert.Contains("Backup:Restore:MaxEntries must be at least 1; it is 0.", errors);
        Assert.Contains("Backup:Restore:MaxBytes must be at least 1; it is -1.", errors);
    }

    [Theory]
    [InlineData("backups/restores")]
    [InlineData("")]
    public void A_restore_root_that_overlaps_the_destination_is_refused(string relativeRoot)
    {
        var options = Valid();
        options.Restore.Root = Path.TrimEndingDirectorySeparator(_folder.Combine(relativeRoot));

        Assert.Contains(Errors(options), e => e.StartsWith($"Backup:Restore:Root '{options.Restore.Root}' overlaps Backup:Destination", StringComparison.Ordinal));
    }

    [Fact]
    public void A_restore_root_that_cannot_be_created_is_named()
    {
        var file = _folder.Combine("a-file");
        File.WriteAllText(file, "");
        var options = Valid();
        options.Restore.Root = Path.Combine(file, "restores");

        Assert.Contains(Errors(options), e => e.StartsWith($"Backup:Restore:Root '{options.Restore.Root}' cannot be created: ", StringComparison.Ordinal));
    }

    private BackupOptions Valid(string? source = null) => new()
    {
        Sources = [new BackupSourceOptions { Path = source ?? _folder.Combine("sources") }],
        Destination = _folder.Combine("backups"),
    };

    private static IReadOnlyList<string> Errors(BackupOptions options) =>
        [.. new BackupOptionsValidator().Validate(null, options).Failures ?? []];
}
