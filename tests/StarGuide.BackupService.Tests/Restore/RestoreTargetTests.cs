using StarGuide.BackupService.Restore;

namespace StarGuide.BackupService.Tests.Restore;

/// <summary>
/// The folder an HTTP restore names, judged by name alone against <c>Backup:Restore:Root</c> (nothing here touches the
/// disk): accepted only strictly inside the root, with the boundaries a prefix comparison or a lax split would miss.
/// </summary>
public sealed class RestoreTargetTests
{
    private const string Root = "/srv/restores";

    [Theory]
    [InlineData("app", "/srv/restores/app")]
    [InlineData("2026-11-30/app", "/srv/restores/2026-11-30/app")]
    [InlineData("app/", "/srv/restores/app")]
    [InlineData("./app", "/srv/restores/app")]
    [InlineData("a/./b", "/srv/restores/a/b")]
    [InlineData("a..b", "/srv/restores/a..b")]
    [InlineData("...", "/srv/restores/...")]
    [InlineData("/srv/restores/app", "/srv/restores/app")]
    [InlineData("/srv/restores//app/", "/srv/restores/app")]
    public void A_folder_inside_the_root_resolves_to_its_full_path(string requested, string expected)
    {
        foreach (var root in new[] { Root, Root + "/" })
        {
            Assert.True(RestoreTarget.TryResolve(root, requested, out var target, out var problem), problem);
            Assert.Equal(expected, target);
            Assert.Equal("", problem);
        }
    }

    [Theory]
    [InlineData(null, "target is required: a folder inside Backup:Restore:Root ('/srv/restores'), e.g. \"2026-11-30\"")]
    [InlineData("", "target is required: a folder inside Backup:Restore:Root ('/srv/restores'), e.g. \"2026-11-30\"")]
    [InlineData(" \t", "target is required: a folder inside Backup:Restore:Root ('/srv/restores'), e.g. \"2026-11-30\"")]
    [InlineData("app\0/x", "target contains a NUL character")]
    [InlineData("..", "target '..' contains '..': name a folder inside Backup:Restore:Root ('/srv/restores')")]
    [InlineData("app/..", "target 'app/..' contains '..': name a folder inside Backup:Restore:Root ('/srv/restores')")]
    [InlineData("app/../other", "target 'app/../other' contains '..': name a folder inside Backup:Restore:Root ('/srv/restores')")]
    [InlineData("app\\..\\other", "target 'app\\..\\other' contains '..': name a folder inside Backup:Restore:Root ('/srv/restores')")]
    [InlineData(".", "target must be a folder inside Backup:Restore:Root ('/srv/restores'), not the root itself")]
    [InlineData("./", "target must be a folder inside Backup:Restore:Root ('/srv/restores'), not the root itself")]
    [InlineData("/srv/restores", "target must be a folder inside Backup:Restore:Root ('/srv/restores'), not the root itself")]
    [InlineData("/srv/restores/", "target must be a folder inside Backup:Restore:Root ('/srv/restores'), not the root itself")]
    [InlineData("/srv/restores-other/app", "target '/srv/restores-other/app' is outside Backup:Restore:Root ('/srv/restores')")]
    [InlineData("/srv/restoresapp", "target '/srv/restoresapp' is outside Backup:Restore:Root ('/srv/restores')")]
    [InlineData("/srv", "target '/srv' is outside Backup:Restore:Root ('/srv/restores')")]
    [InlineData("/etc/cron.d", "target '/etc/cron.d' is outside Backup:Restore:Root ('/srv/restores')")]
    public void A_target_that_is_not_strictly_inside_the_root_is_refused_saying_why(string? requested, string expected)
    {
        Assert.False(RestoreTarget.TryResolve(Root, requested, out var target, out var problem));
        Assert.Equal(expected, problem);
        Assert.Equal("", target);
    }
}
