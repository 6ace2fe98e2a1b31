using StarGuide.ServiceDefaults.Pools;

namespace StarGuide.HealthMonitor.Tests.Membership;

/// <summary>
/// The pool-version rule the gateway's registry and the monitor's membership share (ServiceDefaults' VersionedPool),
/// on its own: which events change a view at which version, and what a snapshot says left and joined.
/// </summary>
public sealed class VersionedPoolTests
{
    private static VersionedPool<string> Pool(long version, params string[] members)
    {
        var pool = new VersionedPool<string>(configured: members.Select(m => KeyValuePair.Create(m.Split('@')[0], m)));
        if (version > 0)
        {
            Assert.True(pool.Replace(version, pool.Members, out _, out _));
        }
        Assert.Equal(version, pool.Version);
        return pool;
    }

    private static string Describe(VersionedPool<string> pool) => $"{pool.Version}: {string.Join(" ", pool.Members.Values.Order())}";

    [Theory]
    // An event changes the view only when its version is newer than the view's.
    [InlineData(5, 6, true, "6: a@1 b@2")]
    [InlineData(5, 5, false, "5: a@1")]
    [InlineData(5, 4, false, "5: a@1")]
    [InlineData(0, 1, true, "1: a@1 b@2")]
    public void A_member_joins_only_at_a_newer_version(long at, long version, bool applied, string after)
    {
        var pool = Pool(at, "a@1");

        Assert.Equal(applied, pool.Set(version, "b", "b@2", out _));
        Assert.Equal(after, Describe(pool));
    }

    [Theory]
    [InlineData(5, 6, true, "6: b@2")]
    [InlineData(5, 5, false, "5: a@1 b@2")]
    [InlineData(5, 4, false, "5: a@1 b@2")]
    public void A_member_leaves_only_at_a_newer_version(long at, long version, bool applied, string after)
    {
        var pool = Pool(at, "a@1", "b@2");

        Assert.Equal(applied, pool.Remove(version, "a", out var removed));
        Assert.Equal(after, Describe(pool));
        Assert.Equal(applied ? "a@1" : null, removed);
    }

    [Theory]
    // Newer: always replaces (an equal set moves the version). Same version: only when it differs. Older: never.
    [InlineData(5, 6, "a@1 b@2", true, "6: a@1 b@2", "", "")]
    [InlineData(5, 6, "b@2 c@3", true, "6: b@2 c@3", "a@1", "c@3")]
    [InlineData(5, 5, "a@1 b@2", false, "5: a@1 b@2", "", "")]
    [InlineData(5, 5, "b@2 c@3", true, "5: b@2 c@3", "a@1", "c@3")]
    [InlineData(5, 4, "b@2 c@3", false, "5: a@1 b@2", "", "")]
    // The same id at another address is another instance: it left and joined.
    [InlineData(5, 6, "a@9 b@2", true, "6: a@9 b@2", "a@1", "a@9")]
    public void A_snapshot_replaces_a_newer_or_a_different_view_and_says_who_left_and_joined(
        long at, long version, string snapshot, bool applied, string after, string left, string joined)
    {
        var pool = Pool(at, "a@1", "b@2");
        var members = snapshot.Split(' ').Select(m => KeyValuePair.Create(m.Split('@')[0], m));

        Assert.Equal(applied, pool.Replace(version, members, out var gone, out var come));

        Assert.Equal(after, Describe(pool));
        Assert.Equal(left, string.Join(" ", gone.Select(m => m.Value).Order()));
        Assert.Equal(joined, string.Join(" ", come.Select(m => m.Value).Order()));
    }

    [Fact]
    public void Members_are_compared_by_the_comparer_given()
    {
        var byAddress = EqualityComparer<string>.Create((x, y) => x?.Split('#')[0] == y?.Split('#')[0], s => s.Split('#')[0].GetHashCode(StringComparison.Ordinal));
        var pool = new VersionedPool<string>(byAddress, [KeyValuePair.Create("a", "a@1#old")]);

        Assert.False(pool.Replace(0, [KeyValuePair.Create("a", "a@1#new")], out _, out _), "the same instance by the comparer: no change");
        Assert.True(pool.Replace(0, [KeyValuePair.Create("a", "a@2#new")], out var left, out _));
        Assert.Equal("a@1#old", Assert.Single(left).Value);
    }
}
