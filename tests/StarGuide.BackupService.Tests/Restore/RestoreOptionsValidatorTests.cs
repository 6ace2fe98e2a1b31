using StarGuide.BackupService.Restore;
using StarGuide.BackupService.Tests.Support;

namespace StarGuide.BackupService.Tests.Restore;

/// <summary>The <c>Backup:Restore</c> keys at their boundaries, each bad one named.</summary>
public sealed class RestoreOptionsValidatorTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create("restore-options");

    public void Dispose() => _folder.Dispose();

    private string Destination => _folder.Combine("backups");

    [Theory]
    [InlineData(1, 1L)]
    [InlineData(int.MaxValue, long.MaxValue)]
    public void Limits_of_at_least_one_are_accepted(int maxEntries, long maxBytes)
    {
        Assert.Empty(LimitErrors(maxEntries, maxBytes));
    }

    [Theory]
    [InlineData(0, 1L, "Backup:Restore:MaxEntries must be at least 1; it is 0.")]
    [InlineData(-1, 1L, "Backup:Restore:MaxEntries must be at least 1; it is -1.")]
    [InlineData(1, 0L, "Backup:Restore:MaxBytes must be at least 1; it is 0.")]
    [InlineData(1, long.MinValue, "Backup:Restore:MaxBytes must be at least 1; it is -9223372036854775808.")]
    public void A_limit_below_one_is_named(int maxEntries, long maxBytes, string error)
    {
        Assert.Equal([error], LimitErrors(maxEntries, maxBytes));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void An_unset_root_is_no_error(string? root)
    {
        Assert.Empty(RootErrors(root));
    }

    [Fact]
    public void A_root_beside_the_destination_is_created()
    {
        var root = _folder.Combine("restores", "http");

        Assert.Empty(RootErrors(root));
        Assert.True(Directory.Exists(root));
    }

    [Theory]
    [InlineData("")]
    [InlineData("./")]
    public void A_relative_root_is_named_and_not_created(string prefix)
    {
        // A name no earlier run can have left in the working folder, removed again if it is created.
        var root = $"{prefix}restores-{Guid.NewGuid():N}";
        try
        {
            Assert.Equal([$"Backup:Restore:Root must be an absolute path; it is '{root}'."], RootErrors(root));
            Assert.False(Directory.Exists(Path.GetFullPath(root)));
        }
        finally
        {
            if (Directory.Exists(Path.GetFullPath(root)))
            {
                Directory.Delete(Path.GetFullPath(root));
            }
        }
    }

    [Theory]
    [InlineData("backups")]
    [InlineData("backups/restores")]
    [InlineData("")]
    public void A_root_that_is_or_holds_or_lies_in_the_destination_is_named_and_not_created(string relative)
    {
        var root = Path.TrimEndingDirectorySeparator(_folder.Combine(relative));

        Assert.Equal([$"Backup:Restore:Root '{root}' overlaps Backup:Destination '{Destination}': restores must not write among the archives."], RootErrors(root));
        Assert.False(Directory.Exists(Destination));
    }

    [Fact]
    public void A_root_that_cannot_be_created_is_named()
    {
        var file = _folder.Combine("a-file");
        File.WriteAllText(file, "");
        var root = Path.Combine(file, "restores");

        var error = Assert.Single(RootErrors(root));

        Assert.StartsWith($"Backup:Restore:Root '{root}' cannot be created: ", error, StringComparison.Ordinal);
    }

    private static List<string> LimitErrors(int maxEntries, long maxBytes)
    {
        var errors = new List<string>();
        RestoreOptionsValidator.ValidateLimits(new RestoreOptions { MaxEntries = maxEntries, MaxBytes = maxBytes }, errors);
        return errors;
    }

    private List<string> RootErrors(string? root)
    {
        var errors = new List<string>();
        RestoreOptionsValidator.ValidateRoot(new RestoreOptions { Root = root }, Destination, errors);
        return errors;
    }
}
