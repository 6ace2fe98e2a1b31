using StarGuide.Scaler.Drivers.Kubernetes;

namespace StarGuide.Scaler.Tests.Drivers.Kubernetes;

/// <summary>Which new pod a start takes when several starts see the same new pods.</summary>
public sealed class PodClaimsTests
{
    private readonly PodClaims _claims = new();

    [Fact]
    public void Each_start_takes_the_oldest_pod_not_taken_by_another()
    {
        Assert.Equal("pod-3", _claims.ClaimFirst(["pod-3", "pod-4"]));
        Assert.Equal("pod-4", _claims.ClaimFirst(["pod-3", "pod-4"]));
        Assert.Null(_claims.ClaimFirst(["pod-3", "pod-4"]));
    }

    [Fact]
    public void A_claim_is_forgotten_only_when_a_listing_begun_after_it_no_longer_shows_the_pod()
    {
        var early = _claims.BeginListing();
        _claims.ClaimFirst(["pod-3"]);

        _claims.Prune(early, []); // began before the claim: says nothing about pod-3
        Assert.Null(_claims.ClaimFirst(["pod-3"]));

        _claims.Prune(_claims.BeginListing(), ["pod-3"]); // still there
        Assert.Null(_claims.ClaimFirst(["pod-3"]));

        _claims.Prune(_claims.BeginListing(), []); // gone
        Assert.Equal("pod-3", _claims.ClaimFirst(["pod-3"]));
    }
}
