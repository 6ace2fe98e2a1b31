using StarGuide.BackupService.Backups;
using StarGuide.BackupService.Retention;

namespace StarGuide.BackupService.Tests.Retention;

/// <summary>
/// Verifying an archive reads all of it: retention asks only when it is about to delete something, so a destination
/// at or under <c>Keep</c> is never read.
/// </summary>
public sealed class RetentionPolicyTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, 1, new int[0], new int[0])]
    [InlineData(1, 2, new int[0], new int[0])]
    [InlineData(2, 2, new int[0], new int[0])]
    [InlineData(3, 2, new[] { 3 }, new[] { 1 })]
    [InlineData(4, 1, new[] { 4 }, new[] { 3, 2, 1 })]
    public async Task Archives_are_verified_only_when_there_are_more_than_keep(int count, int keep, int[] asked, int[] deleted)
    {
        var archives = Enumerable.Range(1, count).Reverse().Select(i => new BackupArchive($"/b/{i}", Start.AddHours(i), 1)).ToList();
        var verified = new List<string>();

        var doomed = await RetentionPolicy.ToDeleteAsync(archives, keep, a =>
        {
            verified.Add(a.Path);
            return Task.FromResult(true);
        });

        Assert.Equal(asked.Select(i => $"/b/{i}"), verified);
        Assert.Equal(deleted.Select(i => $"/b/{i}"), doomed.Select(a => a.Path));
    }
}
