using StarGuide.Scaler.Drivers;
using StarGuide.Scaler.Drivers.Systemd;

namespace StarGuide.Scaler.Tests.Drivers.Systemd;

/// <summary>
/// The slot bookkeeping behind parallel starts, step by step in an order that the stand-in cannot force: a listing
/// that began before another start finished is read as what it is, an old picture.
/// </summary>
public sealed class SystemdInstancesTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly SystemdInstances _instances = new("backend");

    [Fact]
    public void A_start_whose_listing_began_before_another_start_finished_does_not_take_that_slot()
    {
        var late = _instances.BeginListing(); // lists: nothing held yet
        var first = Start("backend-1", held: []);

        Assert.Equal(1, first);
        Assert.Equal(2, _instances.Reserve([], late, slots: 9));
    }

    [Fact]
    public void A_slot_whose_start_is_under_way_is_not_reserved_twice()
    {
        var listing = _instances.BeginListing();

        Assert.Equal(1, _instances.Reserve([], listing, slots: 9));
        Assert.Equal(2, _instances.Reserve([], listing, slots: 9));
        Assert.Equal(0, _instances.Reserve([3, 4, 5, 6, 7, 8, 9], listing, slots: 9));
    }

    [Fact]
    public void A_slot_given_back_by_a_failed_start_is_free_again()
    {
        var listing = _instances.BeginListing();
        var slot = _instances.Reserve([], listing, slots: 9);
        _instances.Released(slot);

        Assert.Equal(1, _instances.Reserve([], _instances.BeginListing(), slots: 9));
    }

    [Fact]
    public void A_unit_that_a_later_listing_no_longer_shows_is_forgotten_and_its_slot_reused()
    {
        Start("backend-1", held: []);
        var after = _instances.BeginListing(); // the unit has died: not listed

        Assert.Empty(_instances.Reconcile([], [], after, Now, out _));
        Assert.Equal(1, _instances.Reserve([], _instances.BeginListing(), slots: 9));
    }

    [Fact]
    public void A_listing_that_began_before_a_start_finished_neither_forgets_nor_adopts_its_unit()
    {
        var early = _instances.BeginListing();
        Start("backend-1", held: []);

        Assert.Empty(_instances.Reconcile([], [], early, Now, out var adopted));
        Assert.Empty(adopted);
        var listed = Assert.Single(_instances.Reconcile([(1, "u@1", new Uri("http://127.0.0.1:8001"))], [1], _instances.BeginListing(), Now, out adopted));
        Assert.Equal("backend-1", listed.InstanceId);
        Assert.Empty(adopted);
    }

    [Fact]
    public void A_unit_up_while_its_start_is_under_way_is_not_reported_until_the_start_returns()
    {
        var slot = _instances.Reserve([], _instances.BeginListing(), slots: 9);

        Assert.Empty(_instances.Reconcile([(slot, "u@1", new Uri("http://127.0.0.1:8001"))], [slot], _instances.BeginListing(), Now, out var adopted));
        Assert.Empty(adopted);
    }

    private int Start(string id, IEnumerable<int> held)
    {
        var slot = _instances.Reserve(held, _instances.BeginListing(), slots: 9);
        _instances.Started(slot, new RunningInstance(id, new Uri($"http://127.0.0.1:800{slot}"), $"u@{slot}", Now));
        return slot;
    }
}
